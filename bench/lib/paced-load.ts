import http from 'node:http'

/**
 * Requests at a steady rate (open loop), for latency at a given load. autocannon's rate
 * limits release requests in bursts once per second, so even a bare Express server shows a
 * p99 near 100 ms at 250/s over 32 connections; here requests due are sent every millisecond,
 * and each latency is counted from when the request was due, so a server falling behind shows
 * in the figures instead of slowing the load down (no coordinated omission).
 */
export interface PacedLoadOptions {
  url: string
  /** Requests per second. */
  rate: number
  seconds: number
  /** Sockets kept alive at most; requests beyond wait for one (and their wait counts). */
  connections: number
  /** Headers of the i-th request. */
  headers?: (i: number) => Record<string, string>
}

export interface PacedLoadResult {
  rate: number
  sent: number
  non2xx: number
  errors: number
  rps: number
  p50: number
  p99: number
  max: number
}

export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections })
  const target = new URL(options.url)
  const latencies: number[] = []
  let non2xx = 0
  let errors = 0
  let sent = 0
  const total = Math.round(options.rate * options.seconds)
  const started = performance.now()
  const inFlight: Promise<void>[] = []
  const send = (i: number, due: number) =>
    new Promise<void>((resolve) => {
      const req = http.request(
        { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', headers: options.headers?.(i) },
        (res) => {
          if ((res.statusCode ?? 0) >= 300) non2xx++
          res.resume()
          res.on('end', () => {
            latencies.push(performance.now() - due)
            resolve()
          })
        },
      )
      // Requests are small: send each at once rather than waiting to fill a packet (Nagle).
      req.on('socket', (socket) => socket.setNoDelay(true))
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end()
    })
  while (sent < total) {
    const now = performance.now()
    const due = Math.min(total, Math.floor(((now - started) / 1000) * options.rate))
    for (; sent < due; sent++) inFlight.push(send(sent, started + (sent / options.rate) * 1000))
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  await Promise.all(inFlight)
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN).toFixed(1))
  return { rate: options.rate, sent, non2xx, errors, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), max: at(1) }
}
