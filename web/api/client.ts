import type { ErrorCode } from '../../shared/errors.js'
import { locale, t, tMaybe } from '../i18n/index.js'
import { endSession, token } from '../session.js'

/*
 * The fetch core under the typed clients of web/api/<feature>.ts: the login's header, errors as ApiError, the
 * raw answers (files, printable pages). Pages call the feature clients, never a path.
 */

export type { Page } from '../../shared/types/page.js'

/** What went wrong, in the user's language. `code` is API.md's, or NETWORK / ENDPOINT_MISSING from the client. */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'ENDPOINT_MISSING' | 'UNKNOWN'

/**
 * The server's own words in the interface's language. Its messages are written "中文 (English)": the Chinese
 * interface shows the Chinese part only, the English one the part in brackets; a message with no Chinese part
 * (a schema's "Invalid input") is not shown in the Chinese interface at all.
 */
export function serverWords(text: string): string {
  const m = /^(.*?)\s*\(([^()]*[A-Za-z][^()]*)\)\s*$/s.exec(text)
  const zh = m ? m[1]! : text
  if (locale() === 'en') return m ? m[2]! : text
  return /[A-Za-z]{2,}/.test(zh) ? '' : zh
}

export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    readonly status: number,
    /** The server's own text, shown beside the translated one when it says more. */
    readonly serverMessage: string,
    readonly details?: unknown,
  ) {
    super(tMaybe(`error.${code}`) ?? (serverWords(serverMessage ?? '') || t('error.UNKNOWN')))
  }

  /** No answer came back: the request may or may not have been carried out. */
  get isNetwork() {
    return this.code === 'NETWORK' || this.status >= 500
  }
}

export interface RequestOptions {
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
}

function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { ...extra }
  const tk = token()
  if (tk) h.authorization = `Bearer ${tk}`
  return h
}

/** Turns a non-2xx answer into an ApiError; a 401 also ends the session so the app shows the login page. */
export async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '')
  let body: { error?: { code?: string; message?: string; details?: unknown } } | null = null
  try {
    body = JSON.parse(text)
  } catch {}
  const err = body?.error
  let code = (err?.code ?? (res.status >= 500 ? 'INTERNAL' : 'UNKNOWN')) as ClientErrorCode
  // The server answers an unknown /api path with this text: the feature has not landed on this server yet.
  if (code === 'NOT_FOUND' && /^no such endpoint/.test(err?.message ?? '')) code = 'ENDPOINT_MISSING'
  if (res.status === 401 && code === 'UNAUTHENTICATED') endSession()
  return new ApiError(code, res.status, err?.message ?? text.slice(0, 200), err?.details)
}

async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers = authHeaders(opts.headers)
  let body: BodyInit | undefined
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = typeof opts.body === 'string' || opts.body instanceof Blob ? opts.body : JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await fetch(path, { method, headers, body, signal: opts.signal })
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    throw new ApiError('NETWORK', 0, String((e as Error).message ?? e))
  }
  if (!res.ok) throw await errorFrom(res)
  return res
}

async function json<T>(method: string, path: string, opts?: RequestOptions): Promise<T> {
  const res = await send(method, path, opts)
  const text = await res.text()
  return (text ? JSON.parse(text) : null) as T
}

/** The requests of the feature clients (web/api/*.ts); pages use those, not this. */
export const http = {
  get: <T>(path: string, opts?: RequestOptions) => json<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    json<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => json<T>('PATCH', path, { ...opts, body }),
  delete: <T>(path: string, opts?: RequestOptions) => json<T>('DELETE', path, opts),
  /** The raw answer (a CSV, a workbook, a printable page), fetched with the login. */
  blob: async (path: string) => (await send('GET', path)).blob(),
}

/** Query string from the defined values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}

/**
 * Uploads a file with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * `onProgress` gets 0..1 while sending, then 1 while the server works.
 */
export function upload<T>(
  path: string,
  file: Blob,
  contentType: string,
  onProgress: (sent: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    for (const [k, v] of Object.entries(authHeaders({ 'content-type': contentType }))) xhr.setRequestHeader(k, v)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.upload.onload = () => onProgress(1)
    xhr.onerror = () => reject(new ApiError('NETWORK', 0, 'upload failed'))
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': 'application/json' },
      })
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText || 'null') as T)
      else reject(await errorFrom(res))
    }
    xhr.send(file)
  })
}

/**
 * Opens a printable page (receipt, cards, board) that needs the login: the window opens at once, inside the
 * click (so no popup blocker stops it), and shows the page once it has been fetched with the token.
 */
export async function openPrintable(path: string): Promise<void> {
  const win = window.open('', '_blank')
  try {
    const blob = await http.blob(path)
    const url = URL.createObjectURL(new Blob([blob], { type: blob.type || 'text/html;charset=utf-8' }))
    if (win) win.location.href = url
    else window.location.href = url
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  } catch (e) {
    win?.close()
    throw e
  }
}

/** Saves a download (CSV, workbook) fetched with the login. */
export async function download(path: string, filename: string): Promise<void> {
  const blob = await http.blob(path)
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A readable message for anything a page caught. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return t('error.UNKNOWN') + (e instanceof Error && e.message ? `: ${e.message}` : '')
}
