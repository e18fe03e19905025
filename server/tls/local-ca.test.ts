import { X509Certificate, createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { backUpCa, ensureLocalCertificate, fingerprint, localNames, spkiHash, tlsFilesBeside } from './local-ca.js'
import { isLoopbackHost, tlsWanted } from './tls.js'

const DAY = 24 * 60 * 60 * 1000

describe('the local CA and the server certificate', () => {
  const names = ['192.168.1.20', 'localhost', 'office-pc', 'office-pc.local']
  const t0 = new Date('2026-03-01T00:00:00Z')
  /** A folder of its own per test, with the first certificate issued at t0: the tests run in any order. */
  const issuedAtT0 = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongyi-tls-'))
    const files = tlsFilesBeside(join(dir, 'gongyi.db'))
    return { dir, files, first: ensureLocalCertificate(files, names, t0) }
  }

  it('makes a CA once, beside the database, and a server certificate it signs for every name', () => {
    const { dir, files, first } = issuedAtT0()
    expect(files.dir).toBe(join(dir, 'tls'))
    expect(first.issued).toBe(true)
    const ca = new X509Certificate(readFileSync(files.caCert))
    const cert = new X509Certificate(first.cert)
    expect(ca.ca).toBe(true)
    expect(cert.ca).toBe(false)
    expect(cert.verify(ca.publicKey)).toBe(true)
    expect(cert.checkIssued(ca)).toBe(true)
    for (const n of ['office-pc', 'office-pc.local', 'localhost']) expect(cert.checkHost(n)).toBe(n)
    expect(cert.checkIP('192.168.1.20')).toBe('192.168.1.20')
    expect(cert.checkIP('192.168.1.21')).toBeUndefined()
    // 397 days: what browsers take at most.
    expect((new Date(cert.validTo).getTime() - t0.getTime()) / DAY).toBeCloseTo(397, 0)
    expect(fingerprint(first.caPem!)).toBe(ca.fingerprint256)
    // Chromium's --ignore-certificate-errors-spki-list takes the base64 SHA-256 of the SubjectPublicKeyInfo.
    const spki = cert.publicKey.export({ type: 'spki', format: 'der' })
    expect(spkiHash(first.cert)).toBe(createHash('sha256').update(spki).digest('base64'))
  })

  it('keeps the certificate while it has over 30 days and the same names', () => {
    const { files, first } = issuedAtT0()
    const again = ensureLocalCertificate(files, [...names].reverse(), new Date(t0.getTime() + 300 * DAY))
    expect(again.issued).toBe(false)
    expect(again.cert).toBe(first.cert)
  })

  it('renews it 30 days before it ends, with the same CA', () => {
    const { files, first } = issuedAtT0()
    const caBefore = readFileSync(files.caCert, 'utf8')
    const later = new Date(t0.getTime() + 370 * DAY)
    const renewed = ensureLocalCertificate(files, names, later)
    expect(renewed.issued).toBe(true)
    expect(renewed.cert).not.toBe(first.cert)
    expect(readFileSync(files.caCert, 'utf8')).toBe(caBefore)
    expect(new X509Certificate(renewed.cert).checkIssued(new X509Certificate(caBefore))).toBe(true)
  })

  it('re-issues it when the PC has another address', () => {
    const { files } = issuedAtT0()
    const moved = ensureLocalCertificate(
      files,
      ['192.168.1.33', 'localhost', 'office-pc', 'office-pc.local'],
      new Date(t0.getTime() + 10 * DAY),
    )
    expect(moved.issued).toBe(true)
    expect(new X509Certificate(moved.cert).checkIP('192.168.1.33')).toBe('192.168.1.33')
  })

  it('copies the CA into the backups, once', () => {
    const { dir, files } = issuedAtT0()
    const backups = join(dir, 'backups')
    backUpCa(files, backups)
    expect(readFileSync(join(backups, 'tls', 'ca.pem'), 'utf8')).toBe(readFileSync(files.caCert, 'utf8'))
    expect(existsSync(join(backups, 'tls', 'ca-key.pem'))).toBe(true)
    backUpCa(files, backups)
  })

  it("lists the PC's names and addresses", () => {
    const list = localNames(['counter.village.test'])
    expect(list).toContain('localhost')
    expect(list).toContain('127.0.0.1')
    expect(list).toContain('counter.village.test')
  })
})

describe('GONGYI_TLS', () => {
  it('auto is HTTPS beyond loopback only', () => {
    expect(tlsWanted('auto', '127.0.0.1')).toBe(false)
    expect(tlsWanted('auto', 'localhost')).toBe(false)
    expect(tlsWanted('auto', '::1')).toBe(false)
    expect(tlsWanted('auto', '0.0.0.0')).toBe(true)
    expect(tlsWanted('auto', '192.168.1.20')).toBe(true)
    expect(tlsWanted('on', '127.0.0.1')).toBe(true)
    expect(tlsWanted('off', '0.0.0.0')).toBe(false)
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true)
  })
})
