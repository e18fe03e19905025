import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import { getRequestListener } from '@hono/node-server'

/*
 * One port, both protocols. With TLS on, the port answers HTTPS, and plain HTTP too: the first byte of a TLS
 * connection is 0x16 (a handshake record), which no HTTP request starts with, so each connection goes to the
 * server that speaks its language. Plain HTTP is kept for what must work before the tablet trusts the village
 * CA (downloading ca.crt, being told to use https) and for this PC itself (loopback); the transport policy
 * (transport-policy.ts) refuses the API and redirects pages for everyone else.
 */

export type FetchHandler = Parameters<typeof getRequestListener>[0]

export interface Listener {
  /** Resolves with the bound address once listening. */
  listen(port: number, host: string): Promise<{ address: string; port: number }>
  /** Puts a new certificate in place for new connections (a renewal), without a restart. */
  setCertificate(key: string, cert: string): void
  /** Stops accepting; resolves when the connections in flight have ended. */
  close(): Promise<void>
  readonly tls: boolean
}

export function createListener(fetch: FetchHandler, tls: { key: string; cert: string } | null): Listener {
  const listener = getRequestListener(fetch)
  const http: HttpServer = createHttpServer(listener)
  const https: HttpsServer | null = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : null
  const sockets = new Set<Socket>()
  const front: NetServer | HttpServer = https
    ? createNetServer((socket) => {
        sockets.add(socket)
        socket.once('close', () => sockets.delete(socket))
        socket.once('error', () => socket.destroy())
        socket.once('readable', () => {
          const first = socket.read(1) as Buffer | null
          if (!first) return socket.destroy()
          socket.unshift(first)
          ;(first[0] === 0x16 ? https : http).emit('connection', socket)
        })
      })
    : http
  return {
    tls: !!https,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        front.once('error', reject)
        front.listen(port, host, () => {
          const a = front.address() as { address: string; port: number }
          resolve({ address: a.address, port: a.port })
        })
      }),
    setCertificate(key, cert) {
      https?.setSecureContext({ key, cert })
    },
    close: () =>
      new Promise<void>((resolve) => {
        // The net server's callback comes when every connection it accepted has ended; the inner servers never
        // listened, they only end their idle keep-alive connections (now, and again while requests finish).
        front.close(() => resolve())
        const idle = () => {
          http.closeIdleConnections()
          https?.closeIdleConnections()
        }
        idle()
        if (https) {
          const timer = setInterval(() => (sockets.size === 0 ? clearInterval(timer) : idle()), 100)
          timer.unref()
        }
      }),
  }
}

/** True when the request came over TLS. */
export const isEncrypted = (incoming: IncomingMessage | undefined) =>
  !!(incoming?.socket as { encrypted?: boolean } | undefined)?.encrypted
