import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, client, type RunningServer, scratchDir, startServer } from '../reliability/server.js'

/*
 * The real server on HOST=0.0.0.0 with GONGYI_TLS unset (auto): HTTPS with its own CA on the one port, plain
 * HTTP on the same port for this PC and for the CA download, refused or redirected for the LAN.
 */

const lan = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address

interface Res {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function httpsCall(
  url: string,
  ca: string,
  opts: { method?: string; body?: unknown; token?: string } = {},
): Promise<Res & { cert: X509Certificate }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        ca,
        headers: {
          ...(opts.body ? { 'content-type': 'application/json' } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let body = ''
        const peer = (res.socket as import('node:tls').TLSSocket).getPeerX509Certificate()
        res.on('data', (d) => (body += d))
        res.on('end', () => {
          resolve({ status: res.statusCode!, headers: res.headers, body, cert: peer! })
        })
      },
    )
    req.on('error', reject)
    req.end(opts.body ? JSON.stringify(opts.body) : undefined)
  })
}

let server: RunningServer
let dir: string
let ca: string
let port: string

beforeAll(async () => {
  dir = scratchDir('tls')
  server = await startServer(join(dir, 'gongyi.db'), { HOST: '0.0.0.0', GONGYI_BACKUPS: 'off' }, 60_000)
  port = new URL(server.base).port
  ca = readFileSync(join(dir, 'tls', 'ca.pem'), 'utf8')
}, 90_000)
afterAll(async () => {
  server?.kill('SIGTERM')
  await server?.exited
})

describe('HOST=0.0.0.0, GONGYI_TLS auto', () => {
  it('serves HTTPS with a certificate from its own CA, for its names and addresses, and sends HSTS', async () => {
    const res = await httpsCall(`https://localhost:${port}/api/health`, ca)
    expect(res.status).toBe(200)
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    expect(res.cert.checkIssued(new X509Certificate(ca))).toBe(true)
    expect(res.cert.checkIP('127.0.0.1')).toBe('127.0.0.1')
    if (lan) expect(res.cert.checkIP(lan)).toBe(lan)
    // Logging in over HTTPS works from anywhere.
    const login = await httpsCall(`https://localhost:${port}/api/auth/login`, ca, {
      method: 'POST',
      body: { username: 'admin', password: ADMIN_PASSWORD },
    })
    expect(login.status).toBe(200)
  })

  it('presents the village CA after its own certificate (a client pinned to the CA key finds it there)', async () => {
    const { connect } = await import('node:tls')
    const presented = await new Promise<import('node:tls').DetailedPeerCertificate>((resolve, reject) => {
      // No CA given: what the chain holds beyond the leaf can only have come from the server.
      const socket = connect(
        { host: '127.0.0.1', port: Number(port), servername: 'localhost', rejectUnauthorized: false },
        () => {
          resolve(socket.getPeerCertificate(true))
          socket.end()
        },
      )
      socket.on('error', reject)
    })
    expect(presented.issuerCertificate?.fingerprint256).toBe(new X509Certificate(ca).fingerprint256)
  })

  it('still answers plain HTTP on the same port for this PC itself', async () => {
    const api = client(server.base)
    expect((await api.call('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(
      200,
    )
  })

  it.skipIf(!lan)(
    'refuses the API over plain HTTP from the LAN, login included, and redirects pages to https',
    async () => {
      const base = `http://${lan}:${port}`
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      })
      expect(login.status).toBe(403)
      const body = await login.json()
      expect(body.error.code).toBe('HTTPS_REQUIRED')
      expect(body.error.message).toContain(`https://${lan}:${port}/`)
      const page = await fetch(`${base}/kiosk?x=1`, { redirect: 'manual' })
      expect(page.status).toBe(308)
      expect(page.headers.get('location')).toBe(`https://${lan}:${port}/kiosk?x=1`)
      // The CA to install comes over plain HTTP: it is needed before anything can be trusted.
      const crt = await fetch(`${base}/ca.crt`)
      expect(crt.status).toBe(200)
      expect(crt.headers.get('content-type')).toBe('application/x-x509-ca-cert')
      const der = Buffer.from(await crt.arrayBuffer())
      expect(new X509Certificate(der).fingerprint256).toBe(new X509Certificate(ca).fingerprint256)
    },
  )

  it('gives the setup page its addresses as QR codes and the CA fingerprint (admin, clerk)', async () => {
    const api = client(server.base)
    const token = (await api.call('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).body
      .token
    const res = await api.call('GET', '/api/setup', undefined, token)
    expect(res.status).toBe(200)
    expect(res.body.tls).toBe(true)
    expect(res.body.localCa).toBe(true)
    expect(res.body.caFingerprint).toBe(new X509Certificate(ca).fingerprint256)
    expect(res.body.kiosk.length).toBeGreaterThan(0)
    for (const k of res.body.kiosk) {
      expect(k.url).toMatch(/^https:\/\/.+\/kiosk$/)
      expect(k.qrSvg).toContain('<svg')
    }
    expect(res.body.caUrl).toMatch(/^http:\/\/.+\/ca\.crt$/)
  })
})
