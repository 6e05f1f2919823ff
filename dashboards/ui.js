// Small DOM and formatting helpers shared by the pages (no framework).

/** h('div', { class: 'x', onclick }, child, 'text') */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v)
    else if (k === 'class') el.className = v
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c))
  return el
}

const int = new Intl.NumberFormat('en-GB')
const eur = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' })
export const fmtInt = (n) => (n === null || n === undefined ? '–' : int.format(Number(n)))
export const fmtMoney = (n) => (n === null || n === undefined ? '–' : eur.format(Number(n)))
export const fmtPct = (n, places = 1) => (n === null || n === undefined ? '–' : `${(Number(n) * 100).toFixed(places)} %`)

/** A KPI tile: label, value, optional note. */
export const tile = (label, value, note) =>
  h('div', { class: 'tile', 'data-kpi': label }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value), note ? h('div', { class: 'tile-note' }, note) : null)

/** A table from rows and [header, row => cell] columns. */
export function table(rows, columns, attrs = {}) {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, columns.map(([name]) => h('th', {}, name)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(row)))))),
  )
}

export const isoDay = (date) => date.toISOString().slice(0, 10)
export const daysAgo = (n) => isoDay(new Date(Date.now() - n * 86_400_000))

/** A from–to date picker; calls onChange({ from, to }). */
export function dateRange({ from, to }, onChange) {
  const a = h('input', { type: 'date', name: 'from', value: from })
  const b = h('input', { type: 'date', name: 'to', value: to })
  const apply = () => onChange({ from: a.value, to: b.value })
  return h('form', { class: 'range', onsubmit: (e) => (e.preventDefault(), apply()) }, h('label', {}, 'From ', a), h('label', {}, 'To ', b), h('button', { type: 'submit' }, 'Apply'))
}

/** A table of objects' plain fields (the first rows' scalar keys), for API lists shown as they are. */
export function plainTable(rows, attrs = {}, keys) {
  const scalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)
  const cols = keys ?? [...new Set(rows.slice(0, 5).flatMap((r) => Object.keys(r).filter((k) => scalar(r[k]))))]
  return table(rows, cols.map((k) => [k.replaceAll('_', ' '), (r) => (r[k] === null || r[k] === undefined ? '' : String(r[k]))]), { class: 'data', ...attrs })
}

/** A definition list of an object's plain fields. */
export function facts(object, attrs = {}) {
  const dl = h('dl', { class: 'facts', ...attrs })
  for (const [k, v] of Object.entries(object ?? {})) {
    if (v !== null && typeof v === 'object') continue
    dl.append(h('dt', {}, k.replaceAll('_', ' ')), h('dd', {}, v === null ? '–' : String(v)))
  }
  return dl
}
