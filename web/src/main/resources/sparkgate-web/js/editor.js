// A code editor on a plain textarea: it grows with its code, keeps indentation, and gives the keys a notebook user
// expects. Shift+Enter runs, Tab completes through the gateway (or indents at the start of a line), Shift+Tab
// dedents, Alt+Up/Down walks through earlier cells, Ctrl+. cancels, and Escape then Tab leaves the editor, so the
// keyboard is never trapped. No library: a textarea keeps native undo, selection, IME and screen readers.

import { h } from './dom.js';
import { CompletionMenu } from './completion-menu.js';

const OPENS_BLOCK = /[{([:]\s*$/;

export class CodeEditor {
  #escaped = false;
  #completion = null;
  #charWidth = 0;

  /**
   * `actions`: {run(), cancel(), complete(code, cursor) -> Promise<{candidates, cursorStart, cursorEnd}>,
   * recall(step) -> code or undefined, indentUnit() -> string}
   */
  constructor(actions, { placeholder = '' } = {}) {
    this.actions = actions;
    this.textarea = h('textarea', { class: 'code-input', spellcheck: 'false', autocapitalize: 'off',
      autocomplete: 'off', rows: 3, placeholder, 'aria-label': 'Code' });
    this.menu = new CompletionMenu((candidate) => this.#accept(candidate));
    this.element = h('div', { class: 'editor' }, this.textarea, this.menu.element);
    this.textarea.addEventListener('keydown', (event) => this.#onKey(event));
    this.textarea.addEventListener('input', () => this.#onInput());
    this.textarea.addEventListener('blur', () => this.menu.close());
    this.textarea.addEventListener('focus', () => {
      this.#escaped = false;
    });
  }

  get value() {
    return this.textarea.value;
  }

  set value(code) {
    this.textarea.value = code;
    this.#fit();
  }

  focus() {
    this.textarea.focus();
  }

  #onInput() {
    this.#fit();
    if (this.menu.open && this.#completion) {
      const cursor = this.textarea.selectionStart;
      if (cursor < this.#completion.start) this.menu.close();
      else this.menu.filter(this.value.slice(this.#completion.start, cursor), this.#completion.candidates);
    }
  }

  #fit() {
    this.textarea.style.height = 'auto';
    this.textarea.style.height = `${this.textarea.scrollHeight + 2}px`;
  }

  #onKey(event) {
    const key = event.key;
    if (this.menu.open && this.#menuKey(event)) return;
    if (key === 'Escape') {
      this.#escaped = true;
      return;
    }
    if (key === 'Tab' && this.#escaped) return; // the browser moves the focus, as it should
    this.#escaped = false;

    if (key === 'Enter' && (event.shiftKey || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.actions.run();
    } else if (key === 'Enter' && !event.altKey) {
      event.preventDefault();
      this.#newline();
    } else if (key === 'Tab' && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      if (event.shiftKey) this.#dedent();
      else if (this.#atIndentation()) this.#insert(this.actions.indentUnit());
      else this.#complete();
    } else if (event.altKey && (key === 'ArrowUp' || key === 'ArrowDown')) {
      const recalled = this.actions.recall(key === 'ArrowUp' ? -1 : 1);
      if (recalled !== undefined) {
        event.preventDefault();
        this.value = recalled;
        this.textarea.setSelectionRange(recalled.length, recalled.length);
      }
    } else if (key === '.' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.actions.cancel();
    }
  }

  #menuKey(event) {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        this.menu.move(event.key === 'ArrowDown' ? 1 : -1);
        break;
      case 'Tab':
      case 'Enter':
        if (event.shiftKey) return false;
        this.#accept(this.menu.selected);
        break;
      case 'Escape':
        this.menu.close();
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  }

  #atIndentation() {
    const { selectionStart, selectionEnd, value } = this.textarea;
    if (selectionStart !== selectionEnd) return true;
    const lineStart = value.lastIndexOf('\n', selectionStart - 1) + 1;
    return value.slice(lineStart, selectionStart).trim() === '';
  }

  #newline() {
    const { selectionStart, value } = this.textarea;
    const lineStart = value.lastIndexOf('\n', selectionStart - 1) + 1;
    const line = value.slice(lineStart, selectionStart);
    const indent = /^\s*/.exec(line)[0] + (OPENS_BLOCK.test(line) ? this.actions.indentUnit() : '');
    this.#insert(`\n${indent}`);
  }

  #dedent() {
    const { selectionStart, value } = this.textarea;
    const lineStart = value.lastIndexOf('\n', selectionStart - 1) + 1;
    const unit = this.actions.indentUnit();
    const leading = /^ */.exec(value.slice(lineStart))[0].length;
    const remove = Math.min(leading, unit.length);
    if (remove === 0) return;
    this.textarea.setSelectionRange(lineStart, lineStart + remove);
    this.#insert('');
    const cursor = Math.max(lineStart, selectionStart - remove);
    this.textarea.setSelectionRange(cursor, cursor);
  }

  async #complete() {
    const code = this.value;
    const cursor = this.textarea.selectionStart;
    let answer;
    try {
      answer = await this.actions.complete(code, cursor);
    } catch {
      return; // no completion is not worth a message; the session's state says why
    }
    if (this.value !== code || this.textarea.selectionStart !== cursor) return; // typed on meanwhile
    const candidates = [...new Set(answer.candidates ?? [])];
    if (candidates.length === 0) return;
    this.#completion = { start: answer.cursorStart, end: answer.cursorEnd, candidates };
    if (candidates.length === 1) {
      this.#accept(candidates[0], Math.max(cursor, answer.cursorEnd));
      return;
    }
    const common = commonPrefix(candidates);
    if (common.length > answer.cursorEnd - answer.cursorStart) {
      this.#replace(answer.cursorStart, answer.cursorEnd, common);
      this.#completion.end = answer.cursorStart + common.length;
    }
    const { left, top } = this.#caretPosition(answer.cursorStart);
    this.menu.show(candidates, left, top);
  }

  #accept(candidate, end = this.textarea.selectionStart) {
    this.#replace(this.#completion.start, end, candidate);
    this.menu.close();
  }

  #replace(from, to, text) {
    this.textarea.setSelectionRange(from, to);
    this.#insert(text);
  }

  /** Inserts as typing would, so that Ctrl+Z undoes it. */
  #insert(text) {
    this.textarea.focus();
    if (!document.execCommand('insertText', false, text)) {
      this.textarea.setRangeText(text, this.textarea.selectionStart, this.textarea.selectionEnd, 'end');
    }
    this.#fit();
  }

  /** Where the menu goes: under the character at `offset`, counted in the editor's monospace grid. */
  #caretPosition(offset) {
    const style = getComputedStyle(this.textarea);
    if (!this.#charWidth) {
      const probe = h('span', { class: 'code-probe' }, 'M'.repeat(20));
      this.element.append(probe);
      this.#charWidth = probe.getBoundingClientRect().width / 20;
      probe.remove();
    }
    const before = this.value.slice(0, offset).split('\n');
    const lineHeight = parseFloat(style.lineHeight);
    const column = before[before.length - 1].length;
    const left = parseFloat(style.paddingLeft) + column * this.#charWidth - this.textarea.scrollLeft;
    const top = parseFloat(style.paddingTop) + before.length * lineHeight - this.textarea.scrollTop + 2;
    return { left: Math.min(left, this.textarea.clientWidth - 120), top };
  }
}

function commonPrefix(words) {
  let prefix = words[0];
  for (const word of words) {
    while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}
