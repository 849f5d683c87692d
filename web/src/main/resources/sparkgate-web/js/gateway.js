// The gateway's REST API (Livy's), as the pages use it. With a token, the page's own address carries it
// (?token=T): it goes on to every request as a header, to the stream as ?token=, and to every page link.
// Without one, the page signs in: a token typed into the sign-in form buys an HttpOnly cookie that the browser sends
// itself, and a CSRF token this script keeps and sends on every change (the gateway refuses changes without it).

import { h } from './dom.js';

const token = new URLSearchParams(location.search).get('token');
const CSRF_HEADER = 'X-Sparkgate-CSRF';
let csrfToken = null;

export class GatewayError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A page address on this gateway, keeping the token. */
export function pageHref(path) {
  return token ? `${path}?token=${encodeURIComponent(token)}` : path;
}

/** The session's stream, resuming after event `since`. */
export function streamUrl(sessionId, since) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams({ since: String(since) });
  if (token) query.set('token', token);
  return `${scheme}://${location.host}/sessions/${encodeURIComponent(sessionId)}/stream?${query}`;
}

/** What the gateway told this page about itself when it served it (see WebUi.java). */
export function pageConfig() {
  try {
    return JSON.parse(document.getElementById('sparkgate-config').textContent);
  } catch {
    return {};
  }
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (csrfToken && method !== 'GET') headers[CSRF_HEADER] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new GatewayError(0, 'The gateway cannot be reached. Is it still running? Retrying…');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: a proxy's error page, say; the status says enough
  }
  if (!response.ok) throw new GatewayError(response.status, explain(response.status, json?.msg));
  return json;
}

function explain(status, message) {
  if (status === 401) {
    return token
      ? 'The gateway did not accept the token in this page\'s address. '
        + 'Open the page again with ?token=<the gateway\'s token>.'
      : 'The page\'s sign-in has ended: reload the page to sign in again.';
  }
  return message || `The gateway answered ${status}.`;
}

export const gateway = {
  listSessions: () => call('GET', '/sessions?size=1000').then((page) => page.sessions),
  session: (id) => call('GET', `/sessions/${encodeURIComponent(id)}`),
  createSession: (request) => call('POST', '/sessions', request),
  deleteSession: (id) => call('DELETE', `/sessions/${encodeURIComponent(id)}`),
};

// ---- signing in ------------------------------------------------------------------------------------------------

async function whoAmI() {
  const response = await fetch('/auth/me', { headers: { Accept: 'application/json' } });
  return response.ok ? response.json() : { status: response.status };
}

/** Shows who is signed in, and the way out, at the end of the top bar. */
function showSignedIn(me) {
  const topbar = document.querySelector('.topbar');
  if (!topbar || !me.csrfToken) return;
  topbar.append(h('span', { class: 'signed-in' },
    h('span', { id: 'signed-in-as' }, me.user),
    h('button', { id: 'sign-out', type: 'button', class: 'link-button', onclick: signOut }, 'Sign out')));
}

async function signOut() {
  await fetch('/auth/sign-out', { method: 'POST', headers: { [CSRF_HEADER]: csrfToken } }).catch(() => null);
  location.reload();
}

/** The sign-in form, in place of the page until a token is accepted; resolves with who signed in. */
function signInForm() {
  const page = document.querySelector('main.page');
  page.hidden = true;
  const error = h('p', { id: 'sign-in-error', class: 'banner', role: 'alert', hidden: true });
  const input = h('input', { name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { id: 'sign-in-form', class: 'sign-in-form' },
    h('label', {}, 'Token', input),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  const panel = h('main', { class: 'page' }, h('section', { class: 'panel sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'Sign in with your token for this gateway (your JupyterHub, OIDC or Sparkgate token).'),
    error, form, oidcButton()));
  page.before(panel);
  input.focus();
  return new Promise((resolve) => {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const response = await fetch('/auth/sign-in', {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: input.value }),
      }).catch(() => null);
      const json = response ? await response.json().catch(() => null) : null;
      if (response?.ok) {
        panel.remove();
        page.hidden = false;
        resolve(json);
        return;
      }
      error.textContent = response ? (json?.msg || `The gateway answered ${response.status}.`)
        : 'The gateway cannot be reached. Is it still running?';
      error.hidden = false;
      input.select();
    });
  });
}

/** "Sign in with" the operator's OIDC issuer, when it has one: a plain link, since the issuer's page is a navigation. */
function oidcButton() {
  const issuer = pageConfig().oidcSignIn;
  if (!issuer) return null;
  const next = encodeURIComponent(location.pathname);
  return h('p', { class: 'sign-in-oidc' },
    h('a', { id: 'sign-in-oidc', class: 'button primary', href: `/auth/oidc/start?next=${next}` },
      `Sign in with ${issuer}`));
}

/** Before any page script asks the gateway anything: signed in, with a token in the address, or no sign-in needed. */
async function signedIn() {
  if (token) return;
  let me;
  try {
    me = await whoAmI();
  } catch {
    return; // unreachable: the page says so when it calls
  }
  if (me.status === 401) me = await signInForm();
  if (me.status) return;
  csrfToken = me.csrfToken;
  showSignedIn(me);
}

await signedIn();
