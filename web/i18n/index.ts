import { createSignal } from 'solid-js'
import { en } from './en.js'
import { type MessageKey, type Messages, zhCN } from './zh-CN.js'

export type Locale = 'zh-CN' | 'en'
export type { MessageKey }

const CATALOGUES: Record<Locale, Messages> = { 'zh-CN': zhCN, en }
const STORAGE_KEY = 'gongyi.locale'

function initialLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale())
export { locale }

export function setLocale(next: Locale) {
  setLocaleSignal(next)
  document.documentElement.lang = next
  try {
    localStorage.setItem(STORAGE_KEY, next)
  } catch {}
}

export const toggleLocale = () => setLocale(locale() === 'zh-CN' ? 'en' : 'zh-CN')

/** The label for a key in the current language, with `{name}` placeholders filled in. Reactive. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = CATALOGUES[locale()][key] ?? key
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text
}

/** A key built at run time (an error code, a status) that may not exist: null when it does not. */
export function tMaybe(key: string, params?: Record<string, string | number>): string | null {
  return key in zhCN ? t(key as MessageKey, params) : null
}

/** Points and counts the way the current language writes numbers. */
export const fmt = (n: number) => n.toLocaleString(locale())

export function fmtDateTime(iso: string): string {
  return new Date(iso).toLocaleString(locale(), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
}
