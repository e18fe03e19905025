export default function Page() { return <h1>awards/NoticesPage</h1> }
