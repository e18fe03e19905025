import { render } from 'solid-js/web'
import { App } from './app'
import { locale } from './i18n'
import './styles.css'

document.documentElement.lang = locale()
render(() => <App />, document.getElementById('root')!)
