export default function Page() { return <h1>supermarket/ProductsPage</h1> }
