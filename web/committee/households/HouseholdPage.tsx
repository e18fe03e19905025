export default function Page() { return <h1>households/HouseholdPage</h1> }
