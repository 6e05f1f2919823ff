import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'

/** The repository root: children run `services/…` entry points from here. */
export const REPO_ROOT = path.resolve(__dirname, '../..')

/** A child running a TypeScript entry point under tsx, with its output collected as it comes. */
export interface NodeChild {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the exit code (or the signal's name) once the child is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  alive(): boolean
}

/** Spawns `node --import tsx <args>` in the repository root with exactly `env`. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv): NodeChild {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  let done = false
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close' (not 'exit'): the output streams are fully read by then.
    child.once('close', (code, signal) => {
      done = true
      resolve({ code, signal })
    })
  })
  return { child, stdout: () => out, stderr: () => err, exited, alive: () => !done }
}

/** Runs `node --import tsx <args>` to completion; kills it (and fails) after `timeoutMs`. */
export async function runNode(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = spawnNode(args, env)
  const { code } = await withTimeout(run.exited, timeoutMs, () => {
    run.child.kill('SIGKILL')
    return new Error(`node ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${run.stdout()}\nstderr: ${run.stderr()}`)
  })
  return { code, stdout: run.stdout(), stderr: run.stderr() }
}

/** Kills a child that is still running and waits until it is gone. */
export async function stopChild(run: NodeChild | undefined): Promise<void> {
  if (!run || !run.alive()) return
  run.child.kill('SIGKILL')
  await run.exited
}

/** `promise`, or the error `onTimeout` makes after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs`. */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/**
 * The value of one sample in Prometheus text, e.g. metricValue(text, 'swipes_total', { outcome: 'accepted' });
 * undefined if the sample is absent. Labels must match exactly (all of them, any order).
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line)
    if (!match || match[1] !== name) continue
    const given = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_][a-zA-Z0-9_]*=")/)
      .filter(Boolean)
      .sort()
      .join(',')
    if (given === wanted) return Number(match[3])
  }
  return undefined
}

/**
 * Runs a query on an embedded ClickHouse data directory in a separate process: chDB allows
 * one data directory per process, and a jest worker may already hold its own.
 */
export async function queryEmbeddedClickHouse(dataDir: string, database: string, query: string): Promise<unknown[]> {
  const script = `
    const { createClickHouse } = require('./services/platform/clickhouse.ts')
    ;(async () => {
      const [dataDir, database, query] = process.argv.slice(1)
      const ch = await createClickHouse({ CLICKHOUSE_URL: undefined, CLICKHOUSE_DATABASE: database, DATA_DIR: dataDir })
      try {
        const result = await ch.client.query({ query, format: 'JSONEachRow' })
        process.stdout.write(JSON.stringify(await result.json()))
      } finally {
        await ch.close()
      }
    })().catch((error) => { console.error(error); process.exit(1) })`
  const { CLICKHOUSE_URL: _unused, ...env } = process.env
  const { code, stdout, stderr } = await runNode(['-e', script, dataDir, database, query], env)
  if (code !== 0) throw new Error(`ClickHouse query on ${dataDir} failed (exit ${code}): ${stderr}`)
  return JSON.parse(stdout) as unknown[]
}
