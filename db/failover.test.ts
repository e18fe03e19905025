import { describe, expect, test } from 'vitest'
import { splitHosts } from './failover.js'

// Issue 20: the server is given its primary and standby as one libpq-style URL with two hosts.
describe('splitHosts', () => {
  test('one host, or several, each with its port (5432 when none is given), same user, password and database', () => {
    expect(splitHosts('postgres://u:p@db/g')).toEqual([{ host: 'db', port: 5432, url: 'postgres://u:p@db:5432/g' }])
    expect(splitHosts('postgres://u:p%40x@10.0.0.1:6000,db2/gongyi?sslmode=require').map((h) => h.url)).toEqual([
      'postgres://u:p%40x@10.0.0.1:6000/gongyi?sslmode=require',
      'postgres://u:p%40x@db2:5432/gongyi?sslmode=require',
    ])
    expect(splitHosts('postgresql://[::1]:5433,[::1]:5434/g').map((h) => [h.host, h.port])).toEqual([
      ['::1', 5433],
      ['::1', 5434],
    ])
  })
  test('a host list with an empty entry is refused', () => {
    expect(() => splitHosts('postgres://u:p@db1:5432,/g')).toThrow(/bad host/)
  })
})
