export default function Page() { return <h1>supermarket/DonationsPage</h1> }
