/**
 * A one-line progress bar on stderr, redrawn in place with \r, at most every 100 ms. When stderr is not a
 * terminal (CI logs, a pipe) it prints a plain line every 10% instead, so logs stay readable.
 */
export interface Progress {
  update(done: number, note?: string): void
  done(note?: string): void
}

const WIDTH = 28

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now()
  let lastDraw = 0
  let lastTenth = -1
  const tty = stream.isTTY === true
  const line = (done: number, note: string) => {
    const share = total > 0 ? Math.min(1, done / total) : 1
    const filled = Math.round(share * WIDTH)
    const secs = (performance.now() - started) / 1000
    const eta = share > 0.02 && share < 1 ? ` · 约剩 ${Math.ceil((secs / share) * (1 - share))}s` : ''
    return `${label} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${note} · ${secs.toFixed(0)}s${eta}`
  }
  return {
    update(done, note = '') {
      const now = performance.now()
      if (tty) {
        if (now - lastDraw < 100) return
        lastDraw = now
        stream.write(`\r${line(done, note)}\x1b[K`)
      } else {
        const tenth = Math.floor((done / Math.max(1, total)) * 10)
        if (tenth === lastTenth) return
        lastTenth = tenth
        stream.write(`${line(done, note)}\n`)
      }
    },
    done(note = '') {
      stream.write(`${tty ? '\r' : ''}${line(total, note)}${tty ? '\x1b[K' : ''}\n`)
    },
  }
}

/** A progress that says nothing: for tests. */
export const silentProgress = (): Progress => ({ update() {}, done() {} })
