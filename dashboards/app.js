// The console shell: sign-in, the nav by role, sign-out, and a hash router over pages/*.js.
import { api, clearSession, errorBox, saveSession, session } from './api.js'
import { disposeAll } from './charts.js'
import { h } from './ui.js'

/**
 * Which roles see which page in the nav (admin sees all). The API enforces the same roles: a
 * page opened by its address without the role shows the API's 403. Keep in sync with the
 * README's "Console" section.
 */
const PAGES = [
  { id: 'overview', title: 'Overview', roles: ['marketer', 'analyst'], load: () => import('./pages/overview.js') },
  { id: 'stores', title: 'Stores', roles: ['analyst'], load: () => import('./pages/stores.js') },
  { id: 'segments', title: 'Segments', roles: ['marketer', 'analyst'], load: () => import('./pages/segments.js') },
  { id: 'campaigns', title: 'Campaigns', roles: ['marketer', 'analyst'], load: () => import('./pages/campaigns.js') },
  { id: 'members', title: 'Member 360', roles: ['support'], load: () => import('./pages/member360.js') },
]

const main = document.getElementById('main')
const nav = document.getElementById('nav')
const who = document.getElementById('who')
const signOut = document.getElementById('sign-out')

const allowed = (page, roles) => roles.includes('admin') || page.roles.some((r) => roles.includes(r))

function route() {
  const [id, ...rest] = location.hash.replace(/^#\/?/, '').split('/')
  return { id, args: rest.map(decodeURIComponent) }
}

async function render() {
  disposeAll()
  const current = session()
  if (!current) return showSignIn()
  const roles = current.user?.roles ?? []
  const visible = PAGES.filter((p) => allowed(p, roles))
  const { id, args } = route()
  const page = PAGES.find((p) => p.id === id) ?? visible[0]
  if (!page) {
    main.replaceChildren(h('p', { class: 'error' }, 'Your account has no console pages.'))
    return
  }
  nav.replaceChildren(...visible.map((p) => h('a', { href: `#/${p.id}`, 'data-page': p.id, class: p === page ? 'active' : '' }, p.title)))
  who.textContent = `${current.user?.email ?? ''} · ${roles.join(', ')}`
  signOut.hidden = false
  document.title = `${page.title} · Loyalty console`
  const root = h('section', { class: 'page', 'data-page': page.id }, h('h1', {}, page.title))
  main.replaceChildren(root)
  try {
    const module = await page.load()
    await module.render(root, { args, roles, navigate })
  } catch (error) {
    root.append(errorBox(error))
  }
}

/** To a page by its hash; the same hash again re-renders (hashchange would not fire). */
function navigate(hash) {
  if (location.hash === hash) render()
  else location.hash = hash
}

function showSignIn() {
  nav.replaceChildren()
  who.textContent = ''
  signOut.hidden = true
  const message = h('div', { class: 'form-message' })
  const form = h(
    'form',
    { class: 'card sign-in', id: 'sign-in' },
    h('h1', {}, 'Staff sign-in'),
    h('label', {}, 'E-mail', h('input', { type: 'email', name: 'email', required: true, autocomplete: 'username' })),
    h('label', {}, 'Password', h('input', { type: 'password', name: 'password', required: true, autocomplete: 'current-password' })),
    h('button', { type: 'submit' }, 'Sign in'),
    message,
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const data = new FormData(form)
    message.replaceChildren()
    try {
      const signedIn = await api('POST', '/v1/staff/sessions', { body: { email: data.get('email'), password: data.get('password') }, token: '' })
      saveSession(signedIn)
      render()
    } catch (error) {
      message.replaceChildren(errorBox(error))
    }
  })
  main.replaceChildren(form)
}

signOut.addEventListener('click', () => {
  clearSession()
  location.hash = ''
  render()
})
addEventListener('hashchange', render)
render()
