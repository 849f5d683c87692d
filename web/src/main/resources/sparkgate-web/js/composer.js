// Where the next cell is written: the language (when the session runs several), the editor, Run, and a line that
// says what happened when a run could not start. The code leaves the editor when it is sent and comes back if the
// gateway refuses it, so nothing typed is ever lost.

import { h } from './dom.js';
import { CodeEditor } from './editor.js';
import { languageOf } from './format.js';

export class Composer {
  #history = [];
  #recalled = null;
  #draft = '';
  #blockedBecause = 'Connecting to the session…';

  /**
   * `kinds`: the statement kinds this session runs (one, or three for a shared session).
   * `actions`: {run(code, kind) -> Promise, cancel(), complete(code, cursor, kind) -> Promise}
   */
  constructor(kinds, actions) {
    this.actions = actions;
    this.kindSelect = kinds.length > 1
      ? h('select', { class: 'kind-select', 'aria-label': 'Language of this cell' },
        kinds.map((kind) => h('option', { value: kind }, languageOf(kind))))
      : null;
    this.fixedKind = kinds[0];
    this.editor = new CodeEditor({
      run: () => this.run(),
      cancel: () => actions.cancel(),
      complete: (code, cursor) => actions.complete(code, cursor, this.kind),
      recall: (step) => this.#recall(step),
      indentUnit: () => (this.kind === 'pyspark' ? '    ' : '  '),
    }, { placeholder: 'Write code, then Shift+Enter to run it' });
    this.runButton = h('button', { type: 'button', class: 'primary run', onclick: () => this.run(),
      title: 'Run (Shift+Enter)' }, 'Run');
    this.message = h('p', { class: 'composer-message', role: 'status' });
    this.element = h('section', { class: 'composer', 'aria-label': 'New cell' },
      h('div', { class: 'composer-head' },
        this.kindSelect ?? h('span', { class: `lang lang-${this.fixedKind}` }, languageOf(this.fixedKind)),
        h('span', { class: 'keys' },
          'Shift+Enter run · Tab complete · Alt+↑↓ earlier cells · Ctrl+. cancel · Esc, Tab leave'),
        this.runButton),
      this.editor.element,
      this.message);
  }

  get kind() {
    return this.kindSelect ? this.kindSelect.value : this.fixedKind;
  }

  focus() {
    this.editor.focus();
  }

  /** Whether a run can start now, and if not, why (shown when someone tries). */
  allow(reason) {
    this.#blockedBecause = reason;
    this.runButton.disabled = Boolean(reason);
    if (!reason && this.message.dataset.kind === 'blocked') this.say('');
  }

  /** Another cell's code, to edit and run again. */
  load(code, kind) {
    if (this.kindSelect && kind) this.kindSelect.value = kind;
    this.editor.value = code;
    this.editor.focus();
  }

  remember(code) {
    this.#history.push(code);
  }

  say(text, kind = 'info') {
    this.message.textContent = text;
    this.message.dataset.kind = kind;
  }

  async run() {
    const code = this.editor.value;
    if (code.trim() === '') return;
    if (this.#blockedBecause) {
      this.say(this.#blockedBecause, 'blocked');
      return;
    }
    const kind = this.kind;
    this.editor.value = '';
    this.#recalled = null;
    this.say('');
    try {
      await this.actions.run(code, kind);
    } catch (error) {
      if (this.editor.value === '') this.editor.value = code;
      this.say(error.message, 'error');
    }
  }

  #recall(step) {
    if (this.#history.length === 0) return undefined;
    if (this.#recalled === null) {
      if (step > 0) return undefined;
      this.#draft = this.editor.value;
      this.#recalled = this.#history.length;
    }
    const next = this.#recalled + step;
    if (next < 0) return undefined;
    if (next >= this.#history.length) {
      this.#recalled = null;
      return this.#draft;
    }
    this.#recalled = next;
    return this.#history[next];
  }
}
