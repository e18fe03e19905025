export default function Page() { return <h1>rules/RulesPage</h1> }
