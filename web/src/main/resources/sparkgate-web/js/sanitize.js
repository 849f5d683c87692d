// HTML from a session's output (a pandas table, a display(HTML(...))) is the user's data, shown on a page that
// holds the gateway's token: only plain formatting survives, never a script, a style, a form or an event handler.

const TAGS = new Set(['a', 'b', 'br', 'caption', 'code', 'col', 'colgroup', 'dd', 'div', 'dl', 'dt', 'em', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre', 'small', 'span', 'strong', 'sub', 'sup', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul']);
const ATTRIBUTES = new Set(['colspan', 'rowspan', 'title', 'alt', 'align']);

/** A fragment holding only the allowed parts of `html`; the rest is dropped, text is kept. */
export function sanitize(html) {
  // DOMParser builds an inert document: nothing in it loads or runs while we read it.
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const fragment = document.createDocumentFragment();
  for (const node of parsed.body.childNodes) copyInto(fragment, node);
  return fragment;
}

function copyInto(parent, node) {
  if (node.nodeType === Node.TEXT_NODE) {
    parent.append(node.textContent);
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const tag = node.tagName.toLowerCase();
  if (tag === 'script' || tag === 'style') return;
  if (!TAGS.has(tag)) {
    for (const child of node.childNodes) copyInto(parent, child);
    return;
  }
  const copy = document.createElement(tag);
  for (const attribute of node.attributes) {
    if (ATTRIBUTES.has(attribute.name)) copy.setAttribute(attribute.name, attribute.value);
  }
  if (tag === 'a' && /^https?:/i.test(node.getAttribute('href') ?? '')) {
    copy.setAttribute('href', node.getAttribute('href'));
    copy.setAttribute('target', '_blank');
    copy.setAttribute('rel', 'noopener noreferrer');
  }
  if (tag === 'img' && /^data:image\/(png|jpeg|gif|svg\+xml);/i.test(node.getAttribute('src') ?? '')) {
    copy.setAttribute('src', node.getAttribute('src'));
  }
  for (const child of node.childNodes) copyInto(copy, child);
  parent.append(copy);
}
