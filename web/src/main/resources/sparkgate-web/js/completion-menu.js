// The list of completions under the caret. The editor owns the keys; this only shows, filters and picks.

import { h } from './dom.js';

const VISIBLE = 8;

export class CompletionMenu {
  #items = [];
  #selected = 0;

  constructor(onPick) {
    this.onPick = onPick;
    this.element = h('ul', { class: 'completions', role: 'listbox', hidden: true });
    // mousedown, not click: the editor must keep its focus.
    this.element.addEventListener('mousedown', (event) => {
      const item = event.target.closest('li');
      if (!item) return;
      event.preventDefault();
      this.onPick(item.textContent);
    });
  }

  get open() {
    return !this.element.hidden;
  }

  show(candidates, left, top) {
    this.#items = candidates;
    this.#selected = 0;
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
    this.#render();
    this.element.hidden = false;
  }

  /** Keeps the candidates that start with what has been typed since; closes when none is left. */
  filter(prefix, all) {
    const kept = all.filter((candidate) => candidate.startsWith(prefix));
    if (kept.length === 0) {
      this.close();
      return;
    }
    this.#items = kept;
    this.#selected = Math.min(this.#selected, kept.length - 1);
    this.#render();
  }

  move(step) {
    this.#selected = (this.#selected + step + this.#items.length) % this.#items.length;
    this.#render();
  }

  get selected() {
    return this.#items[this.#selected];
  }

  close() {
    this.element.hidden = true;
    this.#items = [];
  }

  #render() {
    this.element.replaceChildren(...this.#items.map((candidate, i) =>
      h('li', { role: 'option', 'aria-selected': i === this.#selected ? 'true' : 'false' }, candidate)));
    this.element.style.maxHeight = `${VISIBLE * 1.6}em`;
    this.element.children[this.#selected]?.scrollIntoView({ block: 'nearest' });
  }
}
