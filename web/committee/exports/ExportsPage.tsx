export default function Page() { return <h1>exports/ExportsPage</h1> }
