import { createHash, generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { hostname, networkInterfaces } from 'node:os'
import { dirname, join } from 'node:path'
import forge from 'node-forge'

/*
 * The village's own certificate authority, so that the counter tablet can use the camera (browsers give it to
 * secure pages only) and tokens do not cross the Wi-Fi in clear, without anyone buying a certificate or
 * knowing what one is. Made once and kept beside the database (data/tls/): the CA's key signs a server
 * certificate for the PC's host name and every LAN address it has; the tablet installs the CA once (the setup
 * page), and every later server certificate is trusted without touching the tablet again.
 *
 * node-forge builds the certificates (pure JS, no native parts, well kept, the usual choice); the RSA keys come
 * from Node's own crypto, which is much faster than forge's JS key generation.
 */

export interface LocalTlsFiles {
  dir: string
  caCert: string
  caKey: string
  cert: string
  key: string
}

export interface ServerCertificate {
  key: string
  cert: string
  /** The CA's certificate (PEM), for the tablet to install; null when the operator gave their own certificate. */
  caPem: string | null
  /** Whether a new server certificate was issued by this call. */
  issued: boolean
  /** Names and addresses the certificate covers. */
  names: string[]
  notAfter: Date
}

/** A server certificate is re-issued when fewer days than this are left. */
export const RENEW_DAYS = 30
/** 397 days: what browsers accept at most for a server certificate (they may enforce it on local CAs too). */
const SERVER_DAYS = 397
const CA_YEARS = 20

export function tlsFilesBeside(dbFile: string): LocalTlsFiles {
  const dir = join(dirname(dbFile), 'tls')
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
  }
}

/**
 * The names a counter may use to reach this PC: its host name (also as name.local, what mDNS answers), localhost,
 * every address of every interface (LAN and loopback), and any extra names given (GONGYI_PUBLIC_URL's host).
 */
export function localNames(extra: string[] = []): string[] {
  const names = new Set<string>(['localhost'])
  const host = hostname().toLowerCase()
  if (host && /^[a-z0-9.-]+$/.test(host)) {
    names.add(host)
    if (!host.includes('.')) names.add(`${host}.local`)
  }
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv6' && a.scopeid) continue // link-local fe80::: not reachable by name in a URL
      names.add(a.address.toLowerCase())
    }
  }
  for (const n of extra) if (n) names.add(n.toLowerCase())
  return [...names].sort()
}

const isIp = (n: string) => /^\d+\.\d+\.\d+\.\d+$/.test(n) || n.includes(':')

function newKeyPair() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey
  const publicKey = forge.pki.setRsaPublicKey(key.n, key.e)
  return { key, publicKey, pem: forge.pki.privateKeyToPem(key) }
}

function serial(): string {
  // Positive, 16 random bytes: the top bit cleared so DER does not read it as negative.
  const bytes = forge.random.getBytesSync(16)
  return `0${forge.util.bytesToHex(bytes).slice(1)}`
}

function makeCa(now: Date) {
  const { key, publicKey, pem } = newKeyPair()
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = serial()
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000)
  cert.validity.notAfter = new Date(now.getTime() + CA_YEARS * 365 * 24 * 60 * 60 * 1000)
  const attrs = [
    { name: 'commonName', value: `Gongyi Village CA ${hostname().slice(0, 30)} ${now.toISOString().slice(0, 10)}` },
    { name: 'organizationName', value: 'Gongyi' },
  ]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(key, forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), keyPem: pem }
}

function makeServerCert(caCertPem: string, caKeyPem: string, names: string[], now: Date) {
  const ca = forge.pki.certificateFromPem(caCertPem)
  const caKey = forge.pki.privateKeyFromPem(caKeyPem)
  const { key, publicKey, pem } = newKeyPair()
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = serial()
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000)
  cert.validity.notAfter = new Date(now.getTime() + SERVER_DAYS * 24 * 60 * 60 * 1000)
  const cn = names.find((n) => !isIp(n) && n !== 'localhost') ?? names[0] ?? 'localhost'
  cert.setSubject([{ name: 'commonName', value: cn.slice(0, 64) }])
  cert.setIssuer(ca.subject.attributes)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (isIp(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ])
  cert.sign(caKey, forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), keyPem: pem }
}

/** The names a certificate covers, from its subjectAltName. */
export function certificateNames(certPem: string): string[] {
  const cert = forge.pki.certificateFromPem(certPem)
  const san = cert.getExtension('subjectAltName') as {
    altNames?: { type: number; value?: string; ip?: string }[]
  } | null
  return (san?.altNames ?? []).map((a) => (a.type === 7 ? a.ip! : a.value!).toLowerCase()).sort()
}

export function notAfter(certPem: string): Date {
  return forge.pki.certificateFromPem(certPem).validity.notAfter
}

/** SHA-256 of the certificate's DER bytes, as 'AB:CD:…' (what Android shows under the installed certificate). */
export function fingerprint(certPem: string): string {
  return createHash('sha256').update(pemToDer(certPem)).digest('hex').toUpperCase().match(/../g)!.join(':')
}

/** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo (Chromium's --ignore-certificate-errors-spki-list). */
export function spkiHash(certPem: string): string {
  const cert = forge.pki.certificateFromPem(certPem)
  const spki = forge.asn1.toDer(forge.pki.publicKeyToAsn1(cert.publicKey)).getBytes()
  return createHash('sha256').update(Buffer.from(spki, 'binary')).digest('base64')
}

export function pemToDer(pem: string): Buffer {
  const b64 = pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '')
  return Buffer.from(b64, 'base64')
}

function writeAtomic(file: string, text: string, mode: number) {
  writeFileSync(`${file}.tmp`, text, { mode })
  renameSync(`${file}.tmp`, file)
}

const sameNames = (a: string[], b: string[]) => a.length === b.length && a.every((n, i) => n === b[i])

/**
 * Makes the CA if there is none, and a server certificate when there is none, when it has fewer than
 * RENEW_DAYS left, or when the names it covers are not those of today (the PC got another address). Called at
 * start and daily. The CA itself is kept for its 20 years: a new CA would mean installing it again on every tablet.
 */
export function ensureLocalCertificate(files: LocalTlsFiles, names: string[], now = new Date()): ServerCertificate {
  mkdirSync(files.dir, { recursive: true, mode: 0o700 })
  if (!existsSync(files.caCert) || !existsSync(files.caKey)) {
    const ca = makeCa(now)
    writeAtomic(files.caKey, ca.keyPem, 0o600)
    writeAtomic(files.caCert, ca.certPem, 0o644)
  }
  const caPem = readFileSync(files.caCert, 'utf8')
  const wanted = [...new Set(names.map((n) => n.toLowerCase()))].sort()
  if (existsSync(files.cert) && existsSync(files.key)) {
    const cert = readFileSync(files.cert, 'utf8')
    const until = notAfter(cert)
    const fresh = until.getTime() - now.getTime() > RENEW_DAYS * 24 * 60 * 60 * 1000
    if (fresh && sameNames(certificateNames(cert), wanted)) {
      return { key: readFileSync(files.key, 'utf8'), cert, caPem, issued: false, names: wanted, notAfter: until }
    }
  }
  const made = makeServerCert(caPem, readFileSync(files.caKey, 'utf8'), wanted, now)
  writeAtomic(files.key, made.keyPem, 0o600)
  writeAtomic(files.cert, made.certPem, 0o644)
  return { key: made.keyPem, cert: made.certPem, caPem, issued: true, names: wanted, notAfter: notAfter(made.certPem) }
}

/**
 * Copies the CA's certificate and key into the backup folder (backups/tls/) when they are not there yet: the CA
 * is what every tablet trusts, so losing it with the PC would mean reinstalling it on every tablet.
 */
export function backUpCa(files: LocalTlsFiles, backupDir: string) {
  const target = join(backupDir, 'tls')
  for (const [from, name, mode] of [
    [files.caCert, 'ca.pem', 0o644],
    [files.caKey, 'ca-key.pem', 0o600],
  ] as const) {
    if (!existsSync(from)) continue
    const text = readFileSync(from, 'utf8')
    const to = join(target, name)
    if (existsSync(to) && readFileSync(to, 'utf8') === text) continue
    mkdirSync(target, { recursive: true, mode: 0o700 })
    writeAtomic(to, text, mode)
  }
}
