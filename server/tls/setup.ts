import { Hono } from 'hono'
import QRCode from 'qrcode'
import { allow } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { pemToDer } from './local-ca.js'
import { isLoopbackHost, type TlsState } from './tls.js'

/*
 * What the printable setup page shows (web/committee/setup/SetupPage.tsx): the addresses a counter tablet can
 * open, each as a QR code, and the village CA to install with its fingerprint. The CA certificate itself is
 * public (it holds no key) and is served at /ca.crt without a login, over plain HTTP too: the tablet fetches
 * it before it can trust anything, and the printed fingerprint is how a person checks it is the right one.
 */

export interface SetupAddress {
  url: string
  qrSvg: string
}

export interface SetupInfo {
  tls: boolean
  /** False when the operator gave their own certificate (GONGYI_TLS_CERT): nothing to install. */
  localCa: boolean
  caFingerprint: string | null
  /** Where a tablet downloads the CA (plain http, so it works before the CA is trusted). */
  caUrl: string | null
  caQrSvg: string | null
  kiosk: SetupAddress[]
  names: string[]
}

export interface SetupSource {
  tls: TlsState | null
  port: number
  /** GONGYI_PUBLIC_URL: the address to print first. */
  publicUrl?: string
}

const qr = (text: string) => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
const hostPart = (n: string) => (n.includes(':') ? `[${n}]` : n)

export async function setupInfo(src: SetupSource, requestUrl: string): Promise<SetupInfo> {
  const scheme = src.tls ? 'https' : 'http'
  const hosts = new Set<string>()
  if (src.publicUrl) hosts.add(new URL(src.publicUrl).host)
  // LAN addresses (IPv4 first: what a person can read and type), then names; loopback is of no use to a tablet.
  const names = (src.tls?.names ?? []).filter((n) => !isLoopbackHost(n))
  for (const n of names.filter((n) => /^\d+\.\d+\.\d+\.\d+$/.test(n))) hosts.add(`${n}:${src.port}`)
  for (const n of names.filter((n) => !/^\d+\.\d+\.\d+\.\d+$/.test(n) && !n.includes(':')))
    hosts.add(`${n}:${src.port}`)
  if (hosts.size === 0) hosts.add(new URL(requestUrl).host)
  const kiosk = await Promise.all(
    [...hosts].map(async (h) => {
      const url = `${scheme}://${h}/kiosk`
      return { url, qrSvg: await qr(url) }
    }),
  )
  const first = [...hosts][0]!
  const caUrl = src.tls?.caPem ? `http://${first}/ca.crt` : null
  return {
    tls: !!src.tls,
    localCa: !!src.tls?.caPem,
    caFingerprint: src.tls?.caFingerprint ?? null,
    caUrl,
    caQrSvg: caUrl ? await qr(caUrl) : null,
    kiosk,
    names: src.tls?.names ?? [],
  }
}

/** GET /api/setup: the setup page's content (admin, clerk; and the cashier, whom the kiosk sends there). */
export function setupRoutes(source: () => SetupSource | null) {
  return new Hono<AppEnv>().get('/setup', allow('clerk', 'cashier'), async (c) => {
    const src = source() ?? { tls: null, port: Number(new URL(c.req.url).port || 80) }
    return c.json(await setupInfo(src, c.req.url))
  })
}

/** GET /ca.crt: the village CA, DER, as Android and Windows expect a CA certificate download. */
export function caRoute(source: () => SetupSource | null) {
  return new Hono<AppEnv>().get('/ca.crt', (c) => {
    const pem = source()?.tls?.caPem
    if (!pem)
      return c.json(
        { error: { code: 'NOT_FOUND', message: 'this server uses a certificate it did not make: nothing to install' } },
        404,
      )
    return c.body(new Uint8Array(pemToDer(pem)), 200, {
      'content-type': 'application/x-x509-ca-cert',
      'content-disposition': 'attachment; filename="gongyi-village-ca.crt"',
      'cache-control': 'no-cache',
    })
  })
}
