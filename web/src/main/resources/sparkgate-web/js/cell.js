// One statement of the session, built from its events (accepted -> started -> stream | display | progress ->
// finished). Whichever tab or client ran it, and whether the events are replayed history or live, it is drawn the
// same way, by the same code.

import { h } from './dom.js';
import { duration, languageOf } from './format.js';
import { renderBundle, renderError, stripAnsi } from './outputs.js';
import { JobProgress } from './progress.js';

export class StatementCell {
  #startedAt = null;
  #status;
  #output;
  #progress = new JobProgress();
  #cancel;
  #options;

  /** `accepted` is the statement's first event; `options`: {showKind, onCancel(cell), onEdit(cell)}. */
  constructor(accepted, options) {
    this.id = accepted.statementId;
    this.kind = accepted.kind;
    this.code = accepted.code;
    this.#options = options;
    this.#status = h('span', { class: 'cell-status' });
    this.#output = h('div', { class: 'cell-output' });
    this.#cancel = h('button', { type: 'button', class: 'cancel', title: 'Cancel this statement (Ctrl+.)',
      onclick: () => options.onCancel(this) }, 'Cancel');
    this.element = h('article', { class: 'cell', id: `statement-${this.id}`, dataset: { statement: String(this.id) } },
      h('div', { class: 'cell-gutter' }, h('span', { class: 'prompt' }, `[${this.id}]`)),
      h('div', { class: 'cell-body' },
        h('div', { class: 'cell-head' },
          options.showKind ? h('span', { class: `lang lang-${this.kind}` }, languageOf(this.kind)) : null,
          this.#status,
          h('span', { class: 'cell-actions' },
            this.#cancel,
            h('button', { type: 'button', class: 'quiet', title: 'Put this code in the editor',
              onclick: () => options.onEdit(this) }, 'Edit'))),
        h('pre', { class: 'cell-code' }, h('code', {}, this.code)),
        this.#progress.element,
        this.#output));
    this.#setState('waiting', 'queued');
  }

  get running() {
    return this.state === 'waiting' || this.state === 'running';
  }

  apply(event) {
    switch (event.type) {
      case 'started':
        this.#startedAt = event.at;
        this.#setState('running', 'running');
        this.tick(Date.now());
        break;
      case 'stream':
        this.#appendStream(event.name, event.text);
        break;
      case 'display':
        this.#display(event);
        break;
      case 'progress':
        this.#progress.update(event);
        break;
      case 'finished':
        this.#finish(event);
        break;
      default:
        break;
    }
  }

  /** Called every second while the statement runs, so its time keeps counting. */
  tick(now) {
    if (this.state === 'running' && this.#startedAt) {
      this.#status.textContent = `running · ${duration(now - this.#startedAt)}`;
    }
  }

  #appendStream(name, text) {
    const last = this.#output.lastElementChild;
    if (last && last.classList.contains('stream') && last.dataset.name === name) {
      last.append(stripAnsi(text));
      last.normalize();
    } else {
      this.#output.append(h('pre', { class: `stream ${name}`, dataset: { name } }, stripAnsi(text)));
    }
  }

  #display(event) {
    const rendered = renderBundle(event.data);
    if (!rendered) return;
    const wrapper = h('div', { class: 'display', dataset: event.displayId ? { displayId: event.displayId } : {} }, rendered);
    const earlier = event.displayId && [...this.#output.querySelectorAll('.display')]
      .find((element) => element.dataset.displayId === event.displayId);
    if (earlier) earlier.replaceWith(wrapper);
    else this.#output.append(wrapper);
  }

  #finish(event) {
    const took = this.#startedAt ? ` · ${duration(event.at - this.#startedAt)}` : '';
    this.#progress.settle(event.outcome);
    if (event.outcome === 'ok') {
      const rendered = renderBundle(event.result);
      if (rendered) this.#output.append(h('div', { class: 'result' }, rendered));
      this.#setState('ok', `done${took}`);
    } else if (event.outcome === 'cancelled') {
      this.#output.append(h('p', { class: 'cancelled-note' }, 'Cancelled.'));
      this.#setState('cancelled', `cancelled${took}`);
    } else {
      this.#output.append(renderError(event.error ?? {}));
      this.#setState('error', `failed${took}`);
    }
  }

  #setState(state, text) {
    this.state = state;
    this.element.dataset.state = state;
    this.#status.textContent = text;
    this.#cancel.hidden = !this.running;
  }
}
