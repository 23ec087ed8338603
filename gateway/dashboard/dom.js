// Small DOM helpers shared by the dashboard's modules.

export const format = new Intl.NumberFormat('de-DE');

export const $ = (selector) => document.querySelector(selector);

/** An element with attributes (`text` sets its text) and children. */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}
