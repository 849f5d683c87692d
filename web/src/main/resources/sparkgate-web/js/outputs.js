// What a cell shows of a MIME bundle (a result or a display), and of an error. One bundle is shown once, in the
// richest form this page knows: a table, an image, sanitized HTML, JSON, then text.

import { h } from './dom.js';
import { sanitize } from './sanitize.js';

const TABLE = 'application/vnd.livy.table.v1+json';
const NUMERIC = /^(tinyint|smallint|int|integer|bigint|long|float|double|decimal.*|byte|short)$/i;

/** The element for `bundle`, or null when it has nothing to show (a statement without a value). */
export function renderBundle(bundle) {
  if (!bundle || Object.keys(bundle).length === 0) return null;
  if (bundle[TABLE]) return renderTable(bundle[TABLE], cutNote(bundle));
  if (bundle['image/png']) {
    return h('figure', { class: 'output-image' },
      h('img', { src: `data:image/png;base64,${bundle['image/png']}`, alt: firstLine(bundle['text/plain']) || 'image' }));
  }
  if (bundle['text/html']) return h('div', { class: 'output-html' }, sanitize(bundle['text/html']));
  const text = bundle['text/plain'];
  if (text !== undefined && text !== '') return h('pre', { class: 'output-text' }, stripAnsi(String(text)));
  if (bundle['application/json'] !== undefined) {
    return h('pre', { class: 'output-text' }, JSON.stringify(bundle['application/json'], null, 2));
  }
  return null;
}

/** A SQL result says when the gateway's row cap cut it; a DataFrame's text carries Spark's own note. */
function cutNote(bundle) {
  const json = bundle['application/json'];
  if (json?.truncated) {
    return `first ${json.data.length} rows only: the gateway's row cap (SPARKGATE_SQL_ROW_CAP) cut the rest`;
  }
  const spark = /only showing top (\d+) rows?/.exec(bundle['text/plain'] ?? '');
  return spark ? `first ${spark[1]} rows only` : null;
}

function renderTable(table, note) {
  const headers = table.headers ?? [];
  const rows = table.data ?? [];
  const numeric = headers.map((column) => NUMERIC.test(column.type ?? ''));
  return h('div', { class: 'output-table' },
    h('div', { class: 'table-scroll' },
      h('table', { class: 'result' },
        h('thead', {}, h('tr', {}, headers.map((column, i) =>
          h('th', { class: numeric[i] ? 'num' : null, title: column.type }, column.name)))),
        h('tbody', {}, rows.map((row) => h('tr', {}, row.map((value, i) =>
          value === null
            ? h('td', { class: 'null' }, 'NULL')
            : h('td', { class: numeric[i] ? 'num' : null }, cellText(value)))))))),
    h('p', { class: 'table-caption' + (note ? ' cut' : '') },
      note ?? plural(rows.length, 'row'), ' · ', plural(headers.length, 'column')));
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function cellText(value) {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An error as notebooks show it: the exception and its message, then the frames worth reading. */
export function renderError(error) {
  const traceback = (error.traceback ?? []).map(stripAnsi).join('\n').trim();
  return h('div', { class: 'output-error', role: 'alert' },
    h('p', { class: 'error-title' }, h('strong', {}, error.ename ?? 'Error'), error.evalue ? `: ${error.evalue}` : ''),
    traceback ? h('pre', { class: 'traceback' }, traceback) : null);
}

export function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

function firstLine(text) {
  return (text ?? '').split('\n')[0];
}
