import { spawn, type ChildProcess } from 'node:child_process'

/** The platform (`services/main.ts`, embedded ClickHouse) as its own process, as users run it. */
export interface PlatformProcess {
  base: string
  child: ChildProcess
  /** Rows in the journal not yet in ClickHouse, from /metrics. */
  journalLag(): Promise<number>
  /** Resident memory and V8 heap in use, in bytes, from /metrics. */
  memory(): Promise<{ rss: number; heap: number }>
  /** Waits until every journal row is queryable in ClickHouse. */
  untilShipped(): Promise<void>
  /** POSTs an NDJSON body to /v1/swipes/bulk with a till key; the platform's report. */
  postBulk(key: string, body: ReadableStream<Uint8Array>): Promise<{ accepted: number; rejected: number }>
  /** SIGTERM, and waits for the exit (the journal is flushed first). */
  stop(): Promise<void>
}

export const BENCH_AUTH_SECRET = 'bench-auth-secret-0123456789-abcdef'

export async function startPlatform(options: { databaseUrl: string; dataDir: string; env?: Record<string, string> }): Promise<PlatformProcess> {
  const port = 18_000 + Math.floor(Math.random() * 1000)
  const base = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      AUTH_SECRET: BENCH_AUTH_SECRET,
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const metrics = async () => (await fetch(`${base}/metrics`)).text()
  const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN)
  const platform: PlatformProcess = {
    base,
    child,
    journalLag: async () => metric(await metrics(), 'journal_lag_rows'),
    async memory() {
      const text = await metrics()
      return { rss: metric(text, 'process_resident_memory_bytes'), heap: metric(text, 'nodejs_heap_size_used_bytes') }
    },
    async untilShipped() {
      while ((await platform.journalLag()) > 0) await new Promise((r) => setTimeout(r, 100))
    },
    async postBulk(key, body) {
      const res = await fetch(`${base}/v1/swipes/bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
        body,
        duplex: 'half',
      } as RequestInit)
      return (await res.json()) as { accepted: number; rejected: number }
    },
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
  }
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) return platform
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error('the platform did not become ready')
}
