// The console's one way to the API: the staff token from sessionStorage, JSON in and out, and
// problem details (application/problem+json) turned into an ApiError with a readable message.

const TOKEN_KEY = 'loyalty.staff'

/** The signed-in staff session ({ token, expires_at, user }) or null. */
export function session() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null')
    if (!saved || (saved.expires_at && Date.parse(saved.expires_at) < Date.now())) return null
    return saved
  } catch {
    return null
  }
}
export const saveSession = (value) => sessionStorage.setItem(TOKEN_KEY, JSON.stringify(value))
export const clearSession = () => sessionStorage.removeItem(TOKEN_KEY)

export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem.errors ?? []).map((e) => `${e.path}: ${e.message}`)
    super([problem.detail ?? problem.title ?? `HTTP ${status}`, ...fields].join('\n'))
    this.status = status
    this.problem = problem
  }
  /** What the page shows: the title, the detail, and the request id to quote. */
  get readable() {
    const title = this.problem.title ?? `Error ${this.status}`
    const id = this.problem.request_id ? ` (request ${this.problem.request_id})` : ''
    return `${title}: ${this.message}${id}`
  }
}

/** One request; `token` overrides the staff token (the members' page passes its own). */
export async function api(method, path, { body, token, query } = {}) {
  const url = new URL(path, location.origin)
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v))
  const bearer = token ?? session()?.token
  const res = await fetch(url, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let data = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = { detail: text.slice(0, 200) }
  }
  if (!res.ok) throw new ApiError(res.status, data ?? {})
  return data
}

export const get = (path, query) => api('GET', path, { query })
export const post = (path, body) => api('POST', path, { body })
export const patch = (path, body) => api('PATCH', path, { body })

/** An element for an error: API problems readably, anything else by its message. */
export function errorBox(error) {
  const box = document.createElement('div')
  box.className = 'error'
  box.setAttribute('role', 'alert')
  box.textContent = error instanceof ApiError ? error.readable : `Something went wrong: ${error?.message ?? error}`
  if (error instanceof ApiError) box.dataset.status = String(error.status)
  return box
}
