export default function Page() { return <h1>admin/AdminPage</h1> }
