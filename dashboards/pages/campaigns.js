// Campaigns: the list; a draft's builder (audience, offer, holdout, caps) with a live audience
// preview (POST /v1/campaigns/:id/preview); launch with its job's progress (GET /v1/jobs/:id);
// the report (treated against holdout per day, uplift with its 95 % interval, ROI).
// Routes: #/campaigns, #/campaigns/new, #/campaigns/<id> (builder or report by state).
import { api, errorBox, get, patch, post } from '../api.js'
import { chart } from '../charts.js'
import { fmtInt, fmtMoney, fmtPct, h, isoDay, table } from '../ui.js'

const SEGMENTS = ['champions', 'loyal', 'potential_loyalists', 'new_customers', 'promising', 'need_attention', 'about_to_sleep', 'at_risk', 'cannot_lose', 'hibernating']

export async function render(root, ctx) {
  const [id] = ctx.args
  const marketer = ctx.roles.includes('admin') || ctx.roles.includes('marketer')
  if (!id) return list(root, marketer)
  if (id === 'new') return builder(root, ctx, null)
  const campaign = await get(`/v1/campaigns/${id}`)
  if (campaign.state === 'draft' && marketer) return builder(root, ctx, campaign)
  return report(root, campaign)
}

async function list(root, marketer) {
  const data = await get('/v1/campaigns', { limit: 100 })
  const campaigns = data.campaigns ?? data.items ?? []
  root.append(
    marketer ? h('p', {}, h('a', { href: '#/campaigns/new', class: 'button', id: 'new-campaign' }, 'New campaign')) : null,
    campaigns.length === 0
      ? h('p', { class: 'muted' }, 'No campaigns yet.')
      : table(campaigns, [
          ['Campaign', (c) => h('a', { href: `#/campaigns/${c.id}` }, c.name)],
          ['State', (c) => c.state],
          ['Valid', (c) => `${String(c.valid_from).slice(0, 10)} – ${String(c.valid_until).slice(0, 10)}`],
          ['Holdout', (c) => fmtPct(c.holdout_share, 0)],
        ], { class: 'data', id: 'campaign-list' }),
  )
}

/** The form's fields as campaign fields (the API validates them; its problems are shown). */
function fieldsOf(form) {
  const d = new FormData(form)
  const segments = d.getAll('segments')
  const num = (k) => (d.get(k) === '' || d.get(k) === null ? undefined : Number(d.get(k)))
  const str = (k) => (d.get(k) === '' || d.get(k) === null ? undefined : String(d.get(k)))
  const scope = d.get('scope') === 'basket' ? { type: 'basket' } : { type: 'category', ...(str('category') ? { category: str('category') } : {}) }
  return {
    name: str('name') ?? '',
    audience: {
      ...(segments.length ? { segments } : {}),
      ...(num('min_days_since_visit') !== undefined ? { min_days_since_visit: num('min_days_since_visit') } : {}),
      ...(str('min_spend') ? { min_spend: str('min_spend') } : {}),
    },
    offer: { kind: d.get('kind'), value: str('value') ?? '', ...(str('max_discount') ? { max_discount: str('max_discount') } : {}), scope, min_basket: str('min_basket') ?? '0' },
    personalisation: d.get('scope') === 'category' && !str('category') ? 'top_category' : 'none',
    holdout_share: (num('holdout_pct') ?? 10) / 100,
    ...(num('frequency_cap') !== undefined ? { frequency_cap: num('frequency_cap') } : {}),
    ...(str('budget') ? { budget: str('budget') } : {}),
    valid_from: new Date(`${d.get('valid_from')}T00:00:00Z`).toISOString(),
    valid_until: new Date(`${d.get('valid_until')}T23:59:59Z`).toISOString(),
  }
}

async function builder(root, ctx, campaign) {
  const c = campaign ?? {}
  const a = c.audience ?? {}
  const o = c.offer ?? { kind: 'percent', value: '10', scope: { type: 'category' }, min_basket: '0' }
  const input = (name, attrs = {}) => h('input', { name, id: `f-${name}`, ...attrs })
  const form = h(
    'form',
    { class: 'card builder', id: 'campaign-form' },
    h('fieldset', {}, h('legend', {}, 'Campaign'),
      h('label', {}, 'Name', input('name', { required: true, value: c.name ?? '' })),
      h('label', {}, 'Valid from', input('valid_from', { type: 'date', value: (c.valid_from ?? new Date().toISOString()).slice(0, 10) })),
      h('label', {}, 'Valid until', input('valid_until', { type: 'date', value: (c.valid_until ?? new Date(Date.now() + 30 * 86_400_000).toISOString()).slice(0, 10) }))),
    h('fieldset', {}, h('legend', {}, 'Audience'),
      h('div', { class: 'checks' }, SEGMENTS.map((s) => h('label', {}, h('input', { type: 'checkbox', name: 'segments', value: s, checked: (a.segments ?? []).includes(s) }), s.replaceAll('_', ' ')))),
      h('label', {}, 'No visit for at least (days)', input('min_days_since_visit', { type: 'number', min: 0, value: a.min_days_since_visit ?? '' })),
      h('label', {}, 'Spent at least (€)', input('min_spend', { value: a.min_spend ?? '' }))),
    h('fieldset', {}, h('legend', {}, 'Offer'),
      h('label', {}, 'Kind', h('select', { name: 'kind' }, h('option', { value: 'percent', selected: o.kind === 'percent' }, '% off'), h('option', { value: 'amount', selected: o.kind === 'amount' }, '€ off'))),
      h('label', {}, 'Value', input('value', { required: true, value: o.value ?? '' })),
      h('label', {}, 'At most (€, % offers)', input('max_discount', { value: o.max_discount ?? '' })),
      h('label', {}, 'On', h('select', { name: 'scope' }, h('option', { value: 'category', selected: o.scope?.type === 'category' }, 'a category (the member\'s top one if blank)'), h('option', { value: 'basket', selected: o.scope?.type === 'basket' }, 'the whole basket'))),
      h('label', {}, 'Category', input('category', { value: o.scope?.category ?? '' })),
      h('label', {}, 'Minimum basket (€)', input('min_basket', { value: o.min_basket ?? '0' }))),
    h('fieldset', {}, h('legend', {}, 'Holdout and caps'),
      h('label', {}, 'Holdout (%)', input('holdout_pct', { type: 'number', min: 0, max: 50, step: 1, value: Math.round((c.holdout_share ?? 0.1) * 100) })),
      h('label', {}, 'Offers per member in 30 days at most', input('frequency_cap', { type: 'number', min: 1, value: c.frequency_cap ?? '' })),
      h('label', {}, 'Budget (€)', input('budget', { value: c.budget ?? '' }))),
  )
  const preview = h('div', { class: 'card preview', id: 'campaign-preview' }, h('p', { class: 'muted' }, 'The audience size appears here as you edit.'))
  const message = h('div', { id: 'campaign-message' })
  const launchButton = h('button', { type: 'button', id: 'launch', disabled: !c.id }, 'Launch')
  const progress = h('div', { id: 'launch-progress' })
  root.append(h('div', { class: 'two' }, form, h('div', {}, preview, h('p', {}, launchButton), progress, message)))

  let id = c.id ?? null
  let saving = Promise.resolve()
  let timer = null
  let edits = 0
  // Save the draft (create once, then PATCH) and preview it: a live audience size. The
  // preview's data-state is "ready" once it shows the latest edit.
  let launching = false
  const refresh = () => {
    if (launching) return
    clearTimeout(timer)
    edits++
    preview.dataset.state = 'pending'
    timer = setTimeout(() => (saving = saving.then(saveAndPreview)), 400)
  }
  async function saveAndPreview() {
    const edit = edits
    message.replaceChildren()
    try {
      const fields = fieldsOf(form)
      if (!fields.name || !form.elements.value.value) return
      if (id === null) {
        id = (await post('/v1/campaigns', fields)).id
        history.replaceState(null, '', `#/campaigns/${id}`)
      } else await patch(`/v1/campaigns/${id}`, fields)
      launchButton.disabled = false
      preview.replaceChildren(h('p', { class: 'muted' }, 'Counting…'))
      drawPreview(preview, await post(`/v1/campaigns/${id}/preview`, {}))
      if (edit === edits) preview.dataset.state = 'ready'
    } catch (error) {
      message.replaceChildren(errorBox(error))
    }
  }
  form.addEventListener('input', refresh)
  form.addEventListener('change', refresh)
  form.addEventListener('submit', (e) => (e.preventDefault(), refresh()))
  if (id !== null) refresh()

  launchButton.addEventListener('click', async () => {
    // Clicking blurs the field being edited, whose 'change' schedules a save: run any pending
    // save now, and none after, or it would PATCH a campaign that is no longer a draft (409).
    launching = true
    clearTimeout(timer)
    if (preview.dataset.state === 'pending') saving = saving.then(saveAndPreview)
    await saving
    launchButton.disabled = true
    message.replaceChildren()
    try {
      const { job_id } = await api('POST', `/v1/campaigns/${id}/launch`)
      await follow(job_id, progress)
      ctx.navigate(`#/campaigns/${id}`)
    } catch (error) {
      launching = false
      launchButton.disabled = false
      message.replaceChildren(errorBox(error))
    }
  })
}

function drawPreview(el, p) {
  const f = p.funnel ?? {}
  el.replaceChildren(
    h('h2', {}, 'Audience'),
    h('div', { class: 'big', id: 'preview-treated' }, `${fmtInt(f.treated)} members get the offer`),
    table([
      ['Audience', f.audience], ['Consented', f.after_consent], ['Under the frequency cap', f.after_frequency_cap],
      ['With an offer', f.after_personalisation], ['Holdout', f.holdout], ['Treated', f.treated],
    ], [['Step', (r) => r[0]], ['Members', (r) => fmtInt(r[1])]], { class: 'data compact' }),
    h('p', {}, `Expected cost ${fmtMoney(p.expected_cost?.amount)} at a ${fmtPct(p.expected_cost?.redemption_rate)} redemption rate${p.expected_cost?.capped_by_budget ? ' (capped by the budget)' : ''}.`),
  )
}

/** Polls the launch job until it ends, showing its stage and progress. */
async function follow(jobId, el) {
  for (;;) {
    const job = await get(`/v1/jobs/${encodeURIComponent(jobId)}`)
    const p = job.progress
    const text = typeof p === 'number' ? `${p} %` : p && typeof p === 'object' ? Object.entries(p).map(([k, v]) => `${k}: ${v}`).join(', ') : ''
    el.replaceChildren(h('p', { class: 'progress' }, `Launch ${job.state}${text ? ` · ${text}` : ''}`))
    if (job.state === 'completed') return job
    if (job.state === 'failed') throw new Error(job.failed_reason ?? job.error ?? 'the launch failed')
    await new Promise((r) => setTimeout(r, 500))
  }
}

async function report(root, campaign) {
  const r = await get(`/v1/campaigns/${campaign.id}/report`)
  const up = r.incremental?.revenue_per_member ?? {}
  const ci = up.ci95 ? `95 % interval ${fmtMoney(up.ci95.low)} to ${fmtMoney(up.ci95.high)}` : up.reason ?? 'no interval'
  const roi = r.roi ?? {}
  const el = h('div', { class: 'chart', id: 'report-daily' })
  root.append(
    h('h2', { id: 'report-title' }, `${campaign.name} · ${campaign.state}`),
    h('div', { class: 'tiles', id: 'report-tiles' },
      h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, 'Coupons issued'), h('div', { class: 'tile-value', id: 'report-issued' }, fmtInt(r.coupons?.issued)), h('div', { class: 'tile-note' }, `${fmtInt(r.coupons?.redeemed)} redeemed`)),
      h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, 'Treated / holdout'), h('div', { class: 'tile-value' }, `${fmtInt(r.groups?.treated?.members)} / ${fmtInt(r.groups?.holdout?.members)}`)),
      h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, 'Uplift per member'), h('div', { class: 'tile-value', id: 'report-uplift' }, up.estimate === null || up.estimate === undefined ? '–' : fmtMoney(up.estimate)), h('div', { class: 'tile-note' }, ci)),
      h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, 'ROI'), h('div', { class: 'tile-value', id: 'report-roi' }, roi.value === null || roi.value === undefined ? '–' : fmtPct(roi.value, 0)), h('div', { class: 'tile-note' }, roi.reason ?? (roi.ci95 ? `${fmtPct(roi.ci95.low, 0)} to ${fmtPct(roi.ci95.high, 0)}` : ''))),
      h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, 'Discount cost'), h('div', { class: 'tile-value' }, fmtMoney(r.coupons?.discount_cost)))),
    h('h2', {}, 'Revenue per member per day: treated against holdout'),
    el,
  )
  const days = r.daily ?? []
  chart(el, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['Treated', 'Holdout'] },
    grid: { left: 60, right: 20, top: 50, bottom: 40 },
    xAxis: { type: 'category', data: days.map((d) => d.day) },
    yAxis: { type: 'value', name: '€ per member' },
    series: [
      { name: 'Treated', type: 'line', data: days.map((d) => Number(d.treated)) },
      { name: 'Holdout', type: 'line', data: days.map((d) => Number(d.holdout)) },
    ],
  })
}
