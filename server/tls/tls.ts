import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import type { LocalTlsFiles } from './local-ca.js'

// node-forge (in local-ca.ts) is loaded only by a server that makes its own certificates.
const localCa = () => import('./local-ca.js')

/*
 * How the server decides to speak HTTPS (GONGYI_TLS, API.md): 'on', 'off', or 'auto' (the default): HTTPS when
 * it listens beyond this PC (HOST is not a loopback address), because then tokens and card codes would cross the
 * village Wi-Fi. With GONGYI_TLS_CERT and GONGYI_TLS_KEY it serves those; otherwise its own local CA's.
 */

export type TlsSetting = 'on' | 'off' | 'auto'

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || /^::ffff:127\./.test(h)
}

export function tlsWanted(setting: TlsSetting, host: string): boolean {
  if (setting === 'on') return true
  if (setting === 'off') return false
  return !isLoopbackHost(host)
}

export interface TlsState {
  key: string
  cert: string
  /** The local CA (PEM) to install on the tablets; null with the operator's own certificate. */
  caPem: string | null
  caFingerprint: string | null
  /** The local CA's files, when the server keeps its own certificates (renewed by renewLocalCertificate). */
  files: LocalTlsFiles | null
  names: string[]
}

export interface TlsOptions {
  setting: TlsSetting
  host: string
  dbFile: string
  certFile?: string
  keyFile?: string
  /** Names beyond the PC's own (GONGYI_PUBLIC_URL's host), put in the local certificate. */
  extraNames?: string[]
}

/** Null when the server speaks plain HTTP. */
export async function loadTls(o: TlsOptions, now = new Date()): Promise<TlsState | null> {
  if (!tlsWanted(o.setting, o.host)) return null
  if (o.certFile || o.keyFile) {
    if (!o.certFile || !o.keyFile)
      throw new Error('GONGYI_TLS_CERT and GONGYI_TLS_KEY go together: set both, or neither')
    return {
      key: readFileSync(o.keyFile, 'utf8'),
      cert: readFileSync(o.certFile, 'utf8'),
      caPem: null,
      caFingerprint: null,
      files: null,
      names: [],
    }
  }
  const { ensureLocalCertificate, fingerprint, localNames, tlsFilesBeside } = await localCa()
  const files = tlsFilesBeside(o.dbFile)
  const made = ensureLocalCertificate(files, certificateNames(o, localNames), now)
  return {
    key: made.key,
    cert: chainOf(made),
    caPem: made.caPem,
    caFingerprint: made.caPem ? fingerprint(made.caPem) : null,
    files,
    names: made.names,
  }
}

function certificateNames(o: TlsOptions, localNames: (extra: string[]) => string[]): string[] {
  const extra = [...(o.extraNames ?? [])]
  // A HOST that names one address or name (not 0.0.0.0 / ::) belongs in the certificate too.
  if (o.host && o.host !== '0.0.0.0' && o.host !== '::') extra.push(o.host)
  return localNames(extra.filter((n) => n && (isIP(n) !== 0 || /^[a-z0-9.-]+$/i.test(n))))
}

/**
 * The daily check: a new server certificate when fewer than 30 days are left or the PC's addresses changed.
 * Returns the new key and certificate to put in place, or null when the current one stays.
 */
export async function renewLocalCertificate(
  state: TlsState,
  o: TlsOptions,
  now = new Date(),
): Promise<{ key: string; cert: string } | null> {
  if (!state.files) return null
  const { ensureLocalCertificate, localNames } = await localCa()
  const made = ensureLocalCertificate(state.files, certificateNames(o, localNames), now)
  if (!made.issued) return null
  state.key = made.key
  state.cert = chainOf(made)
  state.names = made.names
  return { key: made.key, cert: state.cert }
}

/**
 * The server certificate followed by the village CA: what the HTTPS server presents. A client that trusts the CA
 * needs only the first; sending the CA too lets a client pinned to the CA's key (Chromium's
 * --ignore-certificate-errors-spki-list, which looks at the certificates presented) recognise it.
 */
function chainOf(made: { cert: string; caPem: string | null }): string {
  return made.caPem ? `${made.cert.trimEnd()}\n${made.caPem}` : made.cert
}
