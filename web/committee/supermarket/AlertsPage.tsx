export default function Page() { return <h1>supermarket/AlertsPage</h1> }
