import { render } from 'solid-js/web'
import { locale } from '../i18n'
import { MePage } from './MePage'
import './me.css'

/* The villager's phone page: its own entry (me.html), kept small for a slow mobile connection. */
document.documentElement.lang = locale()
render(() => <MePage />, document.getElementById('root')!)
