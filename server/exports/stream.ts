/**
 * A web ReadableStream (what Hono's c.body sends) pulled from an async generator of text: the generator runs
 * only as fast as the client reads, so a slow download holds one page in memory, not the whole export.
 */
export function textStream(chunks: AsyncIterable<string | Uint8Array>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]()
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await it.next()
        if (done) controller.close()
        else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value)
      } catch (err) {
        console.error(
          JSON.stringify({ level: 'error', what: 'export stream failed', error: String((err as Error)?.stack ?? err) }),
        )
        controller.error(err)
      }
    },
    async cancel() {
      await it.return?.(undefined)
    },
  })
}
