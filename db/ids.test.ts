import { describe, expect, test } from 'vitest'
import { newId } from './ids.js'

describe('ids', () => {
  test('are unique and sort in creation order, across many ids and refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId())
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
    expect(ids.every((id) => /^[0-9a-z]{20}$/.test(id))).toBe(true)
  })
})
