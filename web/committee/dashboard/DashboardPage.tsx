export default function Page() { return <h1>dashboard/DashboardPage</h1> }
