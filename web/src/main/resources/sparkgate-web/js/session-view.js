// The page of one session (/sessions/{id}): its statements as cells, history first, then live; a composer for the
// next one. Everything shown comes from the session's stream, so a reload or a second tab sees the same cells.

import { StatementCell } from './cell.js';
import { Composer } from './composer.js';
import { h, nearBottom, replaceChildren, scrollToBottom } from './dom.js';
import { canRun, hasEnded, languageOf, stateFamily, stateLabel, statementKindsOf } from './format.js';
import { pageHref } from './gateway.js';
import { SessionStream } from './stream.js';
import { versionBadge } from './versions.js';

const sessionId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop());
const $ = (id) => document.getElementById(id);

const cells = new Map();
const stream = new SessionStream(sessionId);
let session = null;
let composer = null;

for (const link of document.querySelectorAll('a[data-page]')) link.href = pageHref(link.dataset.page);
$('session-title').textContent = `Session ${sessionId}`;

stream.addEventListener('session', (event) => showSession(event.detail));
stream.addEventListener('event', (event) => keepingScroll(() => apply(event.detail.event)));
stream.addEventListener('status', (event) => showConnection(event.detail));
stream.addEventListener('refused', (event) => composer?.say(event.detail.message, 'error'));
stream.open();
showConnection(stream.status);
setInterval(() => cells.forEach((cell) => cell.running && cell.tick(Date.now())), 1000);

// A debugging handle for the browser console: the stream and the cells of this page.
window.sparkgate = { stream, cells };

function showSession(view) {
  const first = session === null;
  session = view;
  if (first) createComposer(view.kind);
  $('session-title').textContent = view.name ? `Session ${view.id} · ${view.name}` : `Session ${view.id}`;
  document.title = `Session ${view.id} (${stateLabel(view.state)}) · Sparkgate`;
  const state = $('session-state');
  state.textContent = stateLabel(view.state);
  state.dataset.family = stateFamily(view.state);
  replaceChildren($('session-kind'), languageOf(view.kind));
  replaceChildren($('session-meta'), ...describe(view));
  showEnd(view);
  composer.allow(runBlocker());
  composer.element.hidden = hasEnded(view.state);
}

function describe(view) {
  const parts = [];
  const driver = view.driver;
  if (driver) {
    parts.push(h('span', {}, `Spark ${driver.sparkVersion}`));
    if (driver.pythonVersion) parts.push(h('span', {}, `Python ${driver.pythonVersion}`));
    parts.push(h('span', { title: 'Spark master' }, driver.master));
  }
  if (view.executors?.length) {
    const running = view.executors.filter((executor) => executor.state === 'Running').length;
    parts.push(h('span', { title: view.executors.map((e) => `${e.name}: ${e.state}`).join('\n') },
      `${running}/${view.executors.length} executors running`));
  }
  const verdict = versionBadge(view);
  if (verdict) parts.push(verdict);
  // The Spark UI through the gateway (/sessions/{id}/ui/): the driver's own address is seldom reachable from here.
  if (view.appInfo?.sparkUiUrl && !hasEnded(view.state)) {
    parts.push(h('a', { href: pageHref(view.appInfo.sparkUiUrl), target: '_blank', rel: 'noopener' }, 'Spark UI'));
  }
  return parts;
}

/** An ended session says why: its driver's last lines, and where to go on. */
function showEnd(view) {
  const ended = hasEnded(view.state);
  const panel = $('session-ended');
  panel.hidden = !ended;
  if (!ended) return;
  const log = view.log ?? [];
  replaceChildren(panel,
    h('p', {}, h('strong', {}, `This session is ${stateLabel(view.state)}.`), ' Its statements stay readable here; ',
      h('a', { href: pageHref('/sessions') }, 'create a new session'), ' to run more.'),
    log.length && (view.state === 'error' || view.state === 'dead')
      ? [h('p', { class: 'muted' }, 'The last lines of its driver log:'), h('pre', { class: 'driver-log' }, log.join('\n'))]
      : null);
}

function createComposer(kind) {
  composer = new Composer(statementKindsOf(kind), {
    run: async (code, statementKind) => {
      await stream.ask({ type: 'execute', code, kind: statementKind });
      scrollToBottom();
    },
    cancel: () => cancel([...cells.values()].reverse().find((cell) => cell.running)),
    complete: (code, cursor, statementKind) =>
      stream.ask({ type: 'complete', code, cursor, kind: statementKind }, 10000),
  });
  for (const cell of cells.values()) composer.remember(cell.code);
  $('composer-slot').replaceWith(composer.element);
  composer.focus();
}

function runBlocker() {
  if (stream.status === 'ended') return 'This session is gone from the gateway: create a new session to run code.';
  if (!stream.live) return 'Not connected to the session right now; reconnecting. Your code stays in the editor.';
  if (!session) return 'Connecting to the session…';
  if (hasEnded(session.state)) return `This session is ${stateLabel(session.state)}: create a new session to run code.`;
  if (!canRun(session.state)) return 'The session is still starting (Spark takes a few seconds): run again once it is idle.';
  return null;
}

function apply(event) {
  if (event.type === 'accepted') {
    if (cells.has(event.statementId)) return;
    const cell = new StatementCell(event, {
      showKind: session?.kind === 'shared',
      onCancel: cancel,
      onEdit: (source) => composer?.load(source.code, source.kind),
    });
    cells.set(cell.id, cell);
    $('cells').append(cell.element);
    composer?.remember(cell.code);
    return;
  }
  cells.get(event.statementId)?.apply(event);
}

function cancel(cell) {
  if (!cell) return;
  try {
    stream.tell({ type: 'cancel', statementId: cell.id });
  } catch (error) {
    composer?.say(error.message, 'error');
  }
}

function keepingScroll(change) {
  const stick = nearBottom();
  change();
  if (stick) scrollToBottom();
}

function showConnection(status) {
  const indicator = $('connection');
  indicator.dataset.status = status;
  const ended = { deleted: 'session deleted', gone: 'no such session' }[stream.endReason] ?? 'ended';
  indicator.textContent = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', ended }[status];
  indicator.title = status === 'reconnecting'
    ? 'The connection dropped; output produced meanwhile arrives when it is back.' : '';
  if (status === 'ended' && stream.endReason === 'gone') showGone();
  composer?.allow(runBlocker());
}

/** The gateway no longer knows the session: it was deleted, or the gateway restarted without it. */
function showGone() {
  const banner = $('banner');
  replaceChildren(banner, `There is no session ${sessionId} on this gateway: it may have been deleted, or lost when `
    + 'the gateway restarted. ', h('a', { href: pageHref('/sessions') }, 'See all sessions'), '.');
  banner.hidden = false;
  $('composer-slot')?.remove();
  if (composer) composer.element.hidden = true;
}
