// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string
      connections?: number
      duration?: number
      amount?: number
      maxOverallRequests?: number
      requests?: unknown[]
    }
    interface Histogram {
      p50: number
      p99: number
      average: number
    }
    interface Result {
      duration: number
      errors: number
      timeouts: number
      non2xx: number
      latency: Histogram
      requests: Histogram & { total: number }
    }
  }
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>
  export default autocannon
}
