// Stores: sales per store against its target for the period, and the daily trend
// (GET /v1/dashboard/stores).
import { get } from '../api.js'
import { chart } from '../charts.js'
import { dateRange, daysAgo, fmtMoney, h, table } from '../ui.js'

export async function render(root) {
  let range = { from: daysAgo(29), to: daysAgo(0) }
  const body = h('div')
  root.append(dateRange(range, (next) => ((range = next), load())), body)
  async function load() {
    body.replaceChildren(h('p', { class: 'muted' }, 'Loading…'))
    draw(body, await get('/v1/dashboard/stores', range))
  }
  await load()
}

function draw(body, data) {
  const stores = data.stores ?? []
  const name = (s) => s.name ?? s.store_id
  const bars = h('div', { class: 'chart', id: 'stores-target' })
  const trend = h('div', { class: 'chart', id: 'stores-trend' })
  body.replaceChildren(
    h('h2', {}, 'Sales against target'),
    bars,
    table(stores, [
      ['Store', name],
      ['Sales', (s) => fmtMoney(s.net_sales)],
      ['Target', (s) => (s.target === null || s.target === undefined ? 'no target' : fmtMoney(s.target))],
      ['Reached', (s) => (s.attainment_pct === null ? '–' : `${s.attainment_pct} %`)],
    ], { class: 'data', id: 'stores-table' }),
    h('h2', {}, 'Trend'),
    trend,
  )
  chart(bars, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['Sales', 'Target'] },
    grid: { left: 70, right: 20, top: 50, bottom: 60 },
    xAxis: { type: 'category', data: stores.map(name), axisLabel: { rotate: stores.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', name: '€' },
    series: [
      { name: 'Sales', type: 'bar', data: stores.map((s) => Number(s.net_sales)) },
      { name: 'Target', type: 'bar', data: stores.map((s) => (s.target === null || s.target === undefined ? null : Number(s.target))) },
    ],
  })
  // The trend: weekly net sales, one line per store.
  const weeks = data.weeks ?? []
  chart(trend, {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 70, right: 20, top: 50, bottom: 40 },
    xAxis: { type: 'category', data: weeks, name: 'week of' },
    yAxis: { type: 'value', name: '€' },
    series: stores.map((s) => ({ name: name(s), type: 'line', data: (s.trend ?? []).map((w) => Number(w.net_sales)) })),
  })
}
