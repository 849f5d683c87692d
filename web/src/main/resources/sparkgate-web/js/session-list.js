// The list of sessions (/sessions): every session with its kind, state, owner, age and executors, kept current by
// asking the gateway every two seconds; a form to create one; delete with a second click to confirm.

import { h, replaceChildren } from './dom.js';
import { age, languageOf, stateFamily, stateLabel } from './format.js';
import { gateway, pageConfig, pageHref } from './gateway.js';
import { hasVerdict, versionBadge } from './versions.js';

const REFRESH_MS = 2000;
const CONFIRM_MS = 4000;
const config = pageConfig();
const $ = (id) => document.getElementById(id);

let highlighted = null;
let timer = null;

for (const link of document.querySelectorAll('a[data-page]')) link.href = pageHref(link.dataset.page);
setUpCreateForm();
refresh();
// A hidden tab asks nothing; it catches up the moment it is shown again.
document.addEventListener('visibilitychange', () => document.hidden || refresh());

async function refresh() {
  clearTimeout(timer);
  try {
    show(await gateway.listSessions());
    say(null);
  } catch (error) {
    say(error.message);
  }
  if (!document.hidden) timer = setTimeout(refresh, REFRESH_MS);
}

function show(sessions) {
  const withVerdicts = sessions.some(hasVerdict);
  $('versions-column').hidden = !withVerdicts;
  $('sessions-empty').hidden = sessions.length > 0;
  $('sessions').hidden = sessions.length === 0;
  const body = $('sessions-body');
  // Rows are kept, not rebuilt, so a half-clicked Delete or a focused link survives the refresh.
  const rows = new Map([...body.children].map((row) => [row.dataset.session, row]));
  const wanted = sessions.map((session) => {
    const row = rows.get(String(session.id)) ?? createRow(session);
    updateRow(row, session, withVerdicts);
    return row;
  });
  if (wanted.some((row, i) => body.children[i] !== row) || body.children.length !== wanted.length) {
    body.replaceChildren(...wanted);
  }
}

function createRow(session) {
  const href = pageHref(`/sessions/${session.id}`);
  const remove = h('button', { type: 'button', class: 'quiet danger', onclick: () => confirmDelete(session.id, remove) },
    'Delete');
  return h('tr', { dataset: { session: String(session.id) } },
    h('td', { class: 'num' }, h('a', { href }, String(session.id))),
    h('td', { class: 'name' }, h('a', { href }, session.name || `Session ${session.id}`)),
    h('td', { class: 'kind' }),
    h('td', { class: 'state' }, h('span', { class: 'state-badge' })),
    h('td', { class: 'owner' }),
    h('td', { class: 'age' }),
    h('td', { class: 'executors' }),
    h('td', { class: 'versions' }),
    h('td', { class: 'actions' }, h('a', { class: 'button', href }, 'Open'), remove));
}

function updateRow(row, session, withVerdicts) {
  const cell = (name) => row.querySelector(`td.${name}`);
  cell('kind').textContent = languageOf(session.kind);
  const badge = cell('state').firstChild;
  badge.textContent = stateLabel(session.state);
  badge.dataset.family = stateFamily(session.state);
  cell('owner').textContent = session.owner || session.proxyUser || '—';
  cell('age').textContent = age(Date.now() - session.createdAt);
  cell('age').title = new Date(session.createdAt).toLocaleString();
  cell('executors').textContent = executors(session);
  cell('versions').hidden = !withVerdicts;
  replaceChildren(cell('versions'), versionBadge(session) ?? '—');
  row.classList.toggle('highlight', highlighted === session.id);
}

/** Executor pods on Kubernetes; on the embedded default, Spark's local master. */
function executors(session) {
  if (session.executors?.length) {
    const running = session.executors.filter((executor) => executor.state === 'Running').length;
    return `${running}/${session.executors.length} running`;
  }
  if (session.numExecutors) return `${session.numExecutors} requested`;
  const master = session.driver?.master;
  return master && master.startsWith('local') ? master : '—';
}

async function confirmDelete(id, button) {
  if (button.dataset.confirm !== 'yes') {
    button.dataset.confirm = 'yes';
    button.textContent = 'Really delete?';
    setTimeout(() => {
      button.dataset.confirm = '';
      button.textContent = 'Delete';
    }, CONFIRM_MS);
    return;
  }
  button.disabled = true;
  button.textContent = 'Deleting…';
  try {
    await gateway.deleteSession(id);
  } catch (error) {
    say(error.message);
    button.disabled = false;
  }
  refresh();
}

function setUpCreateForm() {
  const form = $('create-form');
  // Executors, their image and resources mean something only where the gateway runs them on Kubernetes.
  $('kubernetes-fields').hidden = !config.kubernetes;
  if (config.executorImage) form.elements.image.placeholder = config.executorImage;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const created = await gateway.createSession(createRequest(form.elements));
      highlighted = created.id;
      form.elements.name.value = '';
      say(null);
      await refresh();
      document.querySelector(`tr[data-session="${created.id}"] td.name a`)?.focus();
    } catch (error) {
      say(error.message);
    } finally {
      button.disabled = false;
    }
  });
}

function createRequest(fields) {
  const request = { kind: fields.kind.value };
  if (fields.name.value.trim()) request.name = fields.name.value.trim();
  if (config.kubernetes) {
    if (fields.image.value.trim()) request.conf = { 'spark.kubernetes.container.image': fields.image.value.trim() };
    if (fields.numExecutors.value) request.numExecutors = Number(fields.numExecutors.value);
    if (fields.executorMemory.value.trim()) request.executorMemory = fields.executorMemory.value.trim();
    if (fields.executorCores.value) request.executorCores = Number(fields.executorCores.value);
  }
  return request;
}

function say(message) {
  const banner = $('banner');
  banner.hidden = !message;
  banner.textContent = message ?? '';
}
