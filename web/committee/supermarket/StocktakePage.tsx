export default function Page() { return <h1>supermarket/StocktakePage</h1> }
