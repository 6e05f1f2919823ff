// The members' page: a member signs in (card number and PIN, or e-mail and password) and sees
// their balance, tier progress, expiring points, coupons and recent visits. Phone-first layout.
import { api, errorBox } from './api.js'
import { fmtInt, fmtMoney, h } from './ui.js'

const KEY = 'loyalty.member'
const main = document.getElementById('main')
const signOut = document.getElementById('sign-out')
const saved = () => {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null')
    return s && (!s.expires_at || Date.parse(s.expires_at) > Date.now()) ? s : null
  } catch {
    return null
  }
}

function signIn() {
  signOut.hidden = true
  const message = h('div')
  const form = h(
    'form',
    { class: 'card sign-in', id: 'member-sign-in' },
    h('h1', {}, 'Sign in'),
    h('label', {}, 'Card number or e-mail', h('input', { name: 'who', required: true, autocomplete: 'username', inputmode: 'email' })),
    h('label', {}, 'PIN or password', h('input', { name: 'secret', type: 'password', required: true, autocomplete: 'current-password' })),
    h('button', { type: 'submit' }, 'Sign in'),
    message,
  )
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const d = new FormData(form)
    const who = String(d.get('who')).trim()
    const secret = String(d.get('secret'))
    const body = /^[\d ]+$/.test(who) ? { card_number: who.replaceAll(' ', ''), pin: secret } : { email: who, password: secret }
    try {
      sessionStorage.setItem(KEY, JSON.stringify(await api('POST', '/v1/me/sessions', { body, token: '' })))
      show()
    } catch (error) {
      message.replaceChildren(errorBox(error))
    }
  })
  main.replaceChildren(form)
}

async function show() {
  const s = saved()
  if (!s) return signIn()
  signOut.hidden = false
  const call = (path, query) => api('GET', path, { token: s.token, query })
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'))
  try {
    const [me, balance, coupons, ledger] = await Promise.all([call('/v1/me'), call('/v1/me/balance'), call('/v1/me/coupons'), call('/v1/me/ledger', { limit: 20 })])
    const tp = balance.tier_progress ?? {}
    const soon = (balance.expiring ?? []).find((e) => e.points > 0)
    const visits = (ledger.items ?? []).filter((e) => e.txn_id).slice(0, 10)
    main.replaceChildren(
      h('section', { class: 'card' },
        h('p', { class: 'muted' }, `Hello${me.name ? `, ${me.name}` : ''}`),
        h('div', { class: 'big', id: 'my-balance' }, `${fmtInt(balance.balance)} points`),
        h('p', { id: 'my-tier' }, `Tier: ${balance.tier?.name ?? '–'}`)),
      h('section', { class: 'card', id: 'my-tier-progress' },
        h('h2', {}, 'Tier progress'),
        tp.next_tier
          ? [h('progress', { max: 100, value: Number(tp.percent ?? 0) }), h('p', {}, `Spend ${fmtMoney(tp.needed)} more to reach ${tp.next_tier.name} (${fmtMoney(tp.spend_12m)} in the last 12 months).`)]
          : h('p', {}, `You are on the top tier (${fmtMoney(tp.spend_12m)} in the last 12 months).`)),
      h('section', { class: 'card', id: 'my-expiring' },
        h('h2', {}, 'Expiring points'),
        h('p', {}, soon ? `${fmtInt(soon.points)} points expire within ${soon.within_days} days${soon.next_expiry ? ` (first on ${String(soon.next_expiry).slice(0, 10)})` : ''}.` : 'No points expire soon.')),
      h('section', { class: 'card', id: 'my-coupons' },
        h('h2', {}, 'Coupons'),
        (coupons.items ?? []).length === 0
          ? h('p', { class: 'muted' }, 'No coupons right now.')
          : h('ul', { class: 'list' }, coupons.items.map((c) => h('li', {}, h('strong', {}, c.campaign?.name ?? 'Offer'), ` · ${offerText(c.offer)} · `, h('code', {}, c.code), ` · ${c.state}${c.valid_until ? ` until ${String(c.valid_until).slice(0, 10)}` : ''}`)))),
      h('section', { class: 'card', id: 'my-visits' },
        h('h2', {}, 'Recent visits'),
        visits.length === 0
          ? h('p', { class: 'muted' }, 'No visits yet.')
          : h('ul', { class: 'list' }, visits.map((v) => h('li', {}, `${String(v.occurred_at).slice(0, 10)} · ${v.points > 0 ? '+' : ''}${fmtInt(v.points)} points`)))),
    )
  } catch (error) {
    if (error.status === 401) {
      sessionStorage.removeItem(KEY)
      return signIn()
    }
    main.replaceChildren(errorBox(error))
  }
}

const offerText = (o) => (!o ? '' : o.kind === 'percent' ? `${Number(o.value)} % off${o.scope?.category ? ` ${o.scope.category}` : ''}` : `${fmtMoney(o.value)} off${o.scope?.category ? ` ${o.scope.category}` : ''}`)

signOut.addEventListener('click', () => {
  sessionStorage.removeItem(KEY)
  signIn()
})
show()
