import { describe, expect, test } from 'vitest'
import { batchedSink } from './request-log.js'

describe('batched request log', () => {
  test('lines of one turn reach the stream as one write, in order, one per line', async () => {
    const writes: string[] = []
    const sink = batchedSink((chunk) => writes.push(chunk))
    sink('{"a":1}')
    sink('{"a":2}')
    expect(writes).toEqual([])
    await new Promise((r) => setImmediate(r))
    expect(writes).toEqual(['{"a":1}\n{"a":2}\n'])
    sink('{"a":3}')
    sink.flush() // on shutdown nothing waits for the next turn
    expect(writes).toEqual(['{"a":1}\n{"a":2}\n', '{"a":3}\n'])
    await new Promise((r) => setImmediate(r))
    expect(writes).toHaveLength(2)
  })
})
