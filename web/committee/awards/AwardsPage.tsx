export default function Page() { return <h1>awards/AwardsPage</h1> }
