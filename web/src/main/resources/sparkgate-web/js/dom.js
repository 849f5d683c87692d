// The one way these pages build DOM. Text always goes in as text, never parsed as HTML: output from a session is
// user data, and the only HTML ever inserted is what sanitize.js let through.

/** h('td', {class: 'num', title: 'x'}, 'text', childNode, [more, children]) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces everything inside `element` with `children`. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** Whether the page is scrolled (nearly) to its end, so new output should keep it there. */
export function nearBottom(slack = 120) {
  const root = document.scrollingElement;
  return root.scrollHeight - root.scrollTop - root.clientHeight < slack;
}

export function scrollToBottom() {
  const root = document.scrollingElement;
  root.scrollTop = root.scrollHeight;
}
