// Segments: the RFM grid (R by F) as a heat map coloured by members or revenue
// (GET /v1/segments/grid), segment sizes over time (GET /v1/segments/history) and the
// migration between two runs as a Sankey (GET /v1/segments/migration).
import { ApiError, errorBox, get } from '../api.js'
import { chart } from '../charts.js'
import { fmtInt, fmtMoney, h } from '../ui.js'

export async function render(root) {
  const gridBox = h('div', { class: 'chart square', id: 'rfm-grid' })
  const measure = h('select', { name: 'measure' }, h('option', { value: 'members' }, 'Members'), h('option', { value: 'revenue' }, 'Revenue'))
  const gridNote = h('p', { class: 'muted', id: 'rfm-grid-note' })
  const historyBox = h('div', { class: 'chart', id: 'segment-history' })
  const migrationBox = h('div', { class: 'chart tall', id: 'segment-migration' })
  const migrationNote = h('div', { id: 'segment-migration-note' })
  root.append(
    h('h2', {}, 'RFM grid: recency by frequency'),
    h('label', { class: 'inline' }, 'Colour by ', measure),
    gridNote,
    gridBox,
    h('h2', {}, 'Segment sizes over time'),
    historyBox,
    h('h2', {}, 'Migration between the last two runs'),
    migrationNote,
    migrationBox,
  )
  const [grid, history, migration] = await Promise.allSettled([get('/v1/segments/grid'), get('/v1/segments/history'), get('/v1/segments/migration')])
  if (grid.status === 'rejected') throw grid.reason
  const drawGrid = () => heatmap(gridBox, gridNote, grid.value, measure.value)
  measure.addEventListener('change', drawGrid)
  drawGrid()
  if (history.status === 'fulfilled') sizes(historyBox, history.value)
  else historyBox.replaceWith(errorBox(history.reason))
  if (migration.status === 'fulfilled') sankey(migrationBox, migrationNote, migration.value)
  else if (migration.reason instanceof ApiError && migration.reason.status === 404) {
    migrationBox.remove()
    migrationNote.append(h('p', { class: 'muted' }, migration.reason.problem.detail ?? 'Migration needs two RFM runs.'))
  } else migrationBox.replaceWith(errorBox(migration.reason))
}

/** The grid route's 25 cells: [{ r, f, segment, members, revenue }]. */
const cellsOf = (grid) => (grid.cells ?? []).map((c) => ({ r: Number(c.r), f: Number(c.f), members: Number(c.members), revenue: Number(c.revenue), segment: c.segment }))

function heatmap(el, note, grid, measure) {
  const cells = cellsOf(grid)
  const value = (c) => (measure === 'revenue' ? c.revenue : c.members)
  const max = Math.max(1, ...cells.map(value))
  const total = grid.members ?? cells.reduce((s, c) => s + c.members, 0)
  note.textContent = `${fmtInt(total)} scored members${grid.run?.as_of ? `, run of ${String(grid.run.as_of).slice(0, 10)}` : ''}.`
  chart(el, {
    tooltip: {
      formatter: (p) => {
        const c = cells[p.dataIndex]
        return `R ${c.r} · F ${c.f}${c.segment ? ` (${c.segment})` : ''}<br>${fmtInt(c.members)} members<br>${fmtMoney(c.revenue)}`
      },
    },
    grid: { left: 60, right: 30, top: 20, bottom: 90 },
    xAxis: { type: 'category', name: 'F', data: ['1', '2', '3', '4', '5'], splitArea: { show: true } },
    yAxis: { type: 'category', name: 'R', data: ['1', '2', '3', '4', '5'], splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 10, inRange: { color: ['#f4f7fb', '#2f6fb0', '#123a63'] } },
    series: [
      {
        name: measure,
        type: 'heatmap',
        data: cells.map((c) => [c.f - 1, c.r - 1, value(c)]),
        label: { show: true, formatter: (p) => (measure === 'revenue' ? fmtMoney(p.value[2]) : fmtInt(p.value[2])) },
      },
    ],
  })
  el.dataset.cells = String(cells.length)
}

function sizes(el, history) {
  const runs = history.runs ?? []
  chart(el, {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: runs.map((r) => String(r.as_of).slice(0, 10)) },
    yAxis: { type: 'value', name: 'Members' },
    series: (history.segments ?? []).map((s) => ({ name: s.name, type: 'line', stack: 'members', areaStyle: {}, data: runs.map((r) => r.sizes?.[s.slug] ?? 0) })),
  })
}

function sankey(el, note, migration) {
  const t = migration.totals ?? {}
  note.replaceChildren(h('p', { class: 'muted' }, `${fmtInt(t.stayed)} stayed, ${fmtInt(t.moved)} moved, ${fmtInt(t.entered)} entered, ${fmtInt(t.left)} left.`))
  const flows = (migration.flows ?? []).filter((f) => f.members > 0)
  const names = new Set()
  const links = flows.map((f) => {
    const source = `${f.from} (before)`
    const target = `${f.to} (after)`
    names.add(source)
    names.add(target)
    return { source, target, value: f.members }
  })
  chart(el, {
    tooltip: { trigger: 'item' },
    series: [{ type: 'sankey', data: [...names].map((name) => ({ name })), links, emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', curveness: 0.5 } }],
  })
}
