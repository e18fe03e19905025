// A worker thread's entry: the server runs TypeScript through tsx, whose loader a worker does not inherit
// (node 20 ignores --import in a worker's execArgv), so it is registered here before the real entry loads.
import { workerData } from 'node:worker_threads'

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api')
  register()
}
await import(workerData.entry)
