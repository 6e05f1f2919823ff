// Member 360 (support): search, then one member's profile, cards, balance and ledger,
// segment and value, segment history, coupons. #/members or #/members/<id>.
import { errorBox, get } from '../api.js'
import { facts, fmtInt, h, plainTable, table } from '../ui.js'

export async function render(root, ctx) {
  const [id] = ctx.args
  const form = h(
    'form',
    { class: 'search', id: 'member-search' },
    h('input', { name: 'q', placeholder: 'Name, e-mail, phone or card number', 'aria-label': 'Search members', required: true }),
    h('button', { type: 'submit' }, 'Search'),
  )
  const results = h('div', { id: 'member-results' })
  root.append(form, results)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const q = String(new FormData(form).get('q')).trim()
    const query = /^\d{8,19}$/.test(q) ? { card_number: q } : q.includes('@') ? { email: q } : { q }
    results.replaceChildren(h('p', { class: 'muted' }, 'Searching…'))
    try {
      const found = await get('/v1/members', query)
      const members = found.members ?? []
      results.replaceChildren(
        members.length === 0
          ? h('p', { class: 'muted' }, 'No member found.')
          : table(members, [
              ['Member', (m) => h('a', { href: `#/members/${m.id}` }, m.name ?? m.id)],
              ['E-mail', (m) => m.email ?? ''],
              ['Status', (m) => m.status],
            ], { class: 'data' }),
      )
    } catch (error) {
      results.replaceChildren(errorBox(error))
    }
  })
  if (id) await member360(root, id)
}

async function member360(root, id) {
  const member = await get(`/v1/members/${id}`)
  const section = (title, ...children) => h('section', { class: 'card' }, h('h2', {}, title), ...children)
  const optional = async (path) => {
    try {
      return await get(path)
    } catch (error) {
      return { error }
    }
  }
  const [ledger, expiring, profile, value, segments, coupons] = await Promise.all([
    optional(`/v1/members/${id}/ledger`),
    optional(`/v1/members/${id}/expiring`),
    optional(`/v1/members/${id}/profile`),
    optional(`/v1/members/${id}/value`),
    optional(`/v1/members/${id}/segments`),
    optional(`/v1/members/${id}/coupons`),
  ])
  // A figure not computed yet (no analytics run) is a note, not an error.
  const show = (data, draw) =>
    !data.error ? draw(data) : data.error.status === 404 ? h('p', { class: 'muted' }, data.error.problem?.detail ?? 'Not computed yet.') : errorBox(data.error)
  root.append(
    h('div', { class: 'grid360', id: 'member-360' },
      section('Profile', facts({ id: member.id, name: member.name, email: member.email, phone: member.phone, status: member.status, registered_at: member.registered_at }, { id: 'member-profile' })),
      section('Balance', h('div', { class: 'big', id: 'member-balance' }, `${fmtInt(member.points?.balance)} points`), h('p', {}, `Tier: ${member.points?.tier ?? '–'}`),
        show(expiring, (e) => plainTable(e.items ?? e.lots ?? (Array.isArray(e) ? e : []), { id: 'member-expiring' }))),
      section('Cards', plainTable(member.cards ?? [], { id: 'member-cards' })),
      section('Segment and behaviour', show(profile, (p) => facts(p.profile ?? p)), show(value, (v) => facts(v.value ?? v))),
      section('Segment history', show(segments, (s) =>
        (s.runs ?? []).length === 0
          ? h('p', { class: 'muted', id: 'member-segments' }, 'Not scored in any kept RFM run.')
          : table(s.runs, [
              ['Run', (r) => String(r.run_id)],
              ['As of', (r) => r.as_of.slice(0, 10)],
              ['Segment', (r) => r.segment?.name ?? ''],
              ['R', (r) => String(r.r)],
              ['F', (r) => String(r.f)],
              ['M', (r) => String(r.m)],
            ], { class: 'data', id: 'member-segments' }))),
      section('Coupons', show(coupons, (c) =>
        (c.items ?? []).length === 0
          ? h('p', { class: 'muted', id: 'member-coupons' }, 'No coupons.')
          : table(c.items, [
              ['Code', (x) => x.code],
              ['Campaign', (x) => x.campaign?.name ?? ''],
              ['Offer', (x) => `${x.offer?.kind ?? ''} ${x.offer?.value ?? ''}`.trim()],
              ['Valid', (x) => `${String(x.valid_from).slice(0, 10)} – ${String(x.valid_until).slice(0, 10)}`],
              ['State', (x) => x.state],
              ['Discount', (x) => x.discount ?? ''],
              ['Merged from', (x) => x.merged_from ?? ''],
            ], { class: 'data', id: 'member-coupons' }))),
      section('Ledger', show(ledger, (l) => plainTable(l.items ?? l.entries ?? [], { id: 'member-ledger' }, ['occurred_at', 'kind', 'points', 'balance_after', 'reason', 'txn_id']))),
    ),
  )
}
