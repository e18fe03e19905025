export default function Page() { return <h1>awards/QueuePage</h1> }
