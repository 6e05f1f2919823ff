import fs from 'node:fs'
import path from 'node:path'
import express, { type RequestHandler } from 'express'

/**
 * The web console (dashboards/): plain ES modules served as they are, no build step. Staff
 * pages at /console/, the members' page at /console/member.html (and /member).
 *
 * One middleware rather than a Router: these are files, not API operations, so they stay out
 * of /openapi.json (openapi-coverage.int.test.ts walks Router routes only).
 *
 * Charts use Apache ECharts: one well-kept library with the heat map (RFM grid), the Sankey
 * (segment migration), lines and bars the pages need, drawn on canvas so a chart of thousands
 * of points stays fast, and shipped as one prebuilt file we can serve without a bundler.
 */

const DASHBOARDS = path.resolve(__dirname, '../../dashboards')
const ECHARTS_DIR = path.dirname(require.resolve('echarts/package.json'))
const ECHARTS_VERSION: string = JSON.parse(fs.readFileSync(path.join(ECHARTS_DIR, 'package.json'), 'utf8')).version
/** Where the pages load ECharts from (keep in sync with dashboards/*.html); cached a day, the version is pinned. */
export const ECHARTS_PATH = '/vendor/echarts.min.js'

/**
 * Scripts and styles only from this origin; API calls only to it; no framing. Inline style
 * attributes stay allowed: ECharts positions its tooltips with them.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const secure: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CSP)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  next()
}

/** Mount at /console: the pages (revalidated on every load: no hashed file names) and ECharts. */
export function consoleHandler(): RequestHandler {
  const files = express.static(DASHBOARDS, {
    index: 'index.html',
    redirect: true,
    dotfiles: 'ignore',
    // Pages change with the platform; an ETag keeps a reload cheap.
    setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
  })
  const echarts = path.join(ECHARTS_DIR, 'dist', 'echarts.min.js')
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    secure(req, res, () => {
      if (req.path === ECHARTS_PATH) {
        res.setHeader('Cache-Control', 'public, max-age=86400')
        res.setHeader('X-Echarts-Version', ECHARTS_VERSION)
        return res.sendFile(echarts)
      }
      if (req.path.endsWith('.md')) return next()
      files(req, res, next)
    })
  }
}

/** Mount at /member: the members' page lives in the console's files. */
export const memberPageRedirect: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next()
  res.redirect(302, '/console/member.html')
}
