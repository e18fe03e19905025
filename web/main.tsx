import { render } from 'solid-js/web'

render(() => <h1>公益银行 · 爱心超市</h1>, document.getElementById('root')!)
