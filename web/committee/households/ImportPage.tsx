export default function Page() { return <h1>households/ImportPage</h1> }
