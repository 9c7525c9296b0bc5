// DOM building for the console. Every piece of data is inserted as text (textContent or a text
// node), never parsed as HTML: the strings come from attackers' packets.

import { formatDateTime } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. attrs: class, text, on<Event> functions, dataset (object), and plain
 * attributes; children: nodes, strings (as text), arrays, null/false (skipped).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Creates an SVG element with the given attributes. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'text') {
      node.textContent = String(value);
    } else if (key === 'class') {
      node.setAttribute('class', value);
    } else if (value !== null && value !== undefined) {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function applyAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key === 'text') {
      node.textContent = String(value);
    } else if (key === 'class') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.substring(2).toLowerCase(), value);
    } else if (key === 'style' || key === 'innerHTML' || key === 'srcdoc') {
      throw new Error('not allowed: ' + key);
    } else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'selected') {
      node[key] = value;
    } else if (key === 'href') {
      node.setAttribute('href', safeHref(value));
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

/** Only same-origin relative links ("#/...", "/api/...") are ever put in an href. */
function safeHref(value) {
  const text = String(value);
  return (text.startsWith('#') || (text.startsWith('/') && !text.startsWith('//'))) ? text : '#';
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces all children of a node. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** A table with a header row; rows are arrays of cells (nodes or text). */
export function table(headers, rows, options = {}) {
  const head = el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col', text: h }))));
  const body = el('tbody', {}, rows.map(row => {
    const tr = el('tr', row.attrs || {});
    const cells = row.cells || row;
    cells.forEach((cell, i) => tr.append(el('td', { dataset: { label: headers[i] } }, cell)));
    return tr;
  }));
  const t = el('table', { class: 'data ' + (options.class || '') }, head, body);
  if (rows.length === 0) {
    body.append(el('tr', { class: 'empty' },
      el('td', { colspan: String(headers.length), text: options.empty || 'Nothing to show.' })));
  }
  return el('div', { class: 'table-wrap' }, t);
}

/** A labelled form field; the error slot under it is where a 400 for this field is shown. */
export function field(label, input, options = {}) {
  const id = input.id || ('f-' + Math.random().toString(36).slice(2));
  input.id = id;
  return el('div', { class: 'field ' + (options.class || ''), dataset: options.field ? { field: options.field } : {} },
    el('label', { for: id, text: label }),
    input,
    options.hint ? el('small', { class: 'hint', text: options.hint }) : null,
    el('small', { class: 'field-error', role: 'alert' }));
}

/** Shows an error message next to the field named by the server's "field", else in the form. */
export function showError(container, error) {
  clearErrors(container);
  const name = error && error.field;
  let slot = null;
  if (name) {
    const candidates = [container, ...container.querySelectorAll('[data-field]')];
    for (const candidate of candidates.filter(c => c.dataset && c.dataset.field !== undefined)) {
      if (candidate.dataset.field === name) {
        slot = candidate.querySelector('.field-error');
        candidate.classList.add('invalid');
        break;
      }
    }
  }
  if (!slot) {
    slot = container.querySelector('.form-error');
  }
  if (slot) {
    slot.textContent = error.message;
  }
  return slot;
}

export function clearErrors(container) {
  for (const slot of container.querySelectorAll('.field-error, .form-error')) {
    slot.textContent = '';
  }
  container.classList.remove('invalid');
  for (const invalid of container.querySelectorAll('.invalid')) {
    invalid.classList.remove('invalid');
  }
}

/** A button that runs an async action, disabled while it runs. */
export function button(label, action, options = {}) {
  const b = el('button', { type: options.type || 'button', class: options.class || '', text: label,
    dataset: options.dataset, title: options.title });
  if (action) {
    b.addEventListener('click', async event => {
      event.preventDefault();
      b.disabled = true;
      try {
        await action(event);
      } finally {
        b.disabled = false;
      }
    });
  }
  return b;
}

/**
 * A modal dialog with a form; resolves with the form's values on submit, null on cancel.
 * fields: [{name, label, type, value, required, placeholder, hint}].
 */
export function askDialog(title, fields, submitLabel, onSubmit) {
  return new Promise(resolve => {
    const error = el('p', { class: 'form-error', role: 'alert' });
    const inputs = fields.map(f => {
      const input = f.type === 'textarea' ? el('textarea', { name: f.name, rows: '3' })
        : el('input', { name: f.name, type: f.type || 'text', placeholder: f.placeholder });
      input.value = f.value || '';
      if (f.required) {
        input.required = true;
      }
      return field(f.label, input, { field: f.name, hint: f.hint });
    });
    const form = el('form', { method: 'dialog', class: 'dialog-form' },
      el('h2', { text: title }), inputs, error,
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'primary', text: submitLabel }),
        el('button', { type: 'button', class: 'cancel', text: 'Cancel' })));
    const dialog = el('dialog', { class: 'dialog' }, form);
    document.body.append(dialog);
    const close = value => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.querySelector('.cancel').addEventListener('click', () => close(null));
    dialog.addEventListener('cancel', event => {
      event.preventDefault();
      close(null);
    });
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const values = Object.fromEntries(new FormData(form).entries());
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        const result = await onSubmit(values);
        close(result === undefined || result === null ? values : result);
      } catch (e) {
        showError(form, e);
      } finally {
        submit.disabled = false;
      }
    });
    dialog.showModal();
  });
}

/** A point in time for a table cell: local date and time, the instant in its tooltip. */
export function when(iso, suffix) {
  if (!iso) {
    return '';
  }
  return el('time', { class: 'when', datetime: iso, title: iso, text: formatDateTime(iso) + (suffix ? ' ' + suffix : '') });
}
