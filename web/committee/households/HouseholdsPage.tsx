export default function Page() { return <h1>households/HouseholdsPage</h1> }
