// Overview: KPI tiles and swipes / sales per day for a date range (GET /v1/dashboard/overview;
// every figure computed in ClickHouse and Postgres, the page only draws them).
import { get } from '../api.js'
import { chart } from '../charts.js'
import { dateRange, daysAgo, fmtInt, fmtMoney, fmtPct, h, tile } from '../ui.js'

export async function render(root) {
  let range = { from: daysAgo(29), to: daysAgo(0) }
  const body = h('div')
  root.append(dateRange(range, (next) => ((range = next), load())), body)
  async function load() {
    body.replaceChildren(h('p', { class: 'muted' }, 'Loading…'))
    const data = await get('/v1/dashboard/overview', range)
    draw(body, data)
  }
  await load()
}

function draw(body, data) {
  const k = data.totals ?? {}
  const tiles = h(
    'div',
    { class: 'tiles' },
    tile('Active members', fmtInt(k.active_cards), 'cards that shopped in the range'),
    tile('Swipes', fmtInt(k.swipes)),
    tile('Sales', fmtMoney(k.sales)),
    tile('Average basket', fmtMoney(k.average_basket)),
    tile('Points issued', fmtInt(k.points_issued), `redeemed ${fmtInt(k.points_redeemed)}`),
    tile('Coupon redemption', fmtPct(k.coupon_redemption_rate), k.coupons_issued !== undefined ? `${fmtInt(k.coupons_redeemed)} of ${fmtInt(k.coupons_issued)}` : undefined),
  )
  const days = data.days ?? []
  const el = h('div', { class: 'chart', id: 'overview-daily' })
  const points = h('div', { class: 'chart', id: 'overview-points' })
  body.replaceChildren(tiles, h('h2', {}, 'Swipes and sales per day'), el, h('h2', {}, 'Points issued against redeemed'), points)
  chart(points, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['Issued', 'Redeemed'] },
    grid: { left: 60, right: 20, top: 50, bottom: 40 },
    xAxis: { type: 'category', data: days.map((d) => d.day) },
    yAxis: { type: 'value', name: 'Points' },
    series: [
      { name: 'Issued', type: 'bar', data: days.map((d) => Number(d.points_issued)) },
      { name: 'Redeemed', type: 'bar', data: days.map((d) => Number(d.points_redeemed)) },
    ],
  })
  chart(el, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['Swipes', 'Sales'] },
    grid: { left: 60, right: 70, top: 50, bottom: 40 },
    xAxis: { type: 'category', data: days.map((d) => d.day) },
    yAxis: [
      { type: 'value', name: 'Swipes' },
      { type: 'value', name: 'Sales €' },
    ],
    series: [
      { name: 'Swipes', type: 'bar', data: days.map((d) => Number(d.swipes)) },
      { name: 'Sales', type: 'line', yAxisIndex: 1, data: days.map((d) => Number(d.sales)) },
    ],
  })
}
