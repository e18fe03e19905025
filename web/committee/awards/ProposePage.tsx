export default function Page() { return <h1>awards/ProposePage</h1> }
