// Audit log: who changed what, when, from where, with the state before and after (admins only).
import { api, query } from '../api.js';
import { el, table, when } from '../dom.js';

const LIMIT = 50;

export async function render(page, { params }, ctx) {
  const offset = Number(params.get('offset')) || 0;
  page.append(el('h1', { text: 'Audit log' }));
  const entries = await api('GET', '/api/audit' + query({ limit: LIMIT + 1, offset }));
  if (!ctx.current()) {
    return;
  }
  const more = entries.length > LIMIT;
  page.append(el('div', { class: 'pager' },
    offset > 0 ? el('a', { class: 'button', href: '#/audit' + query({ offset: Math.max(0, offset - LIMIT) }), text: '← Newer' }) : null,
    more ? el('a', { class: 'button', href: '#/audit' + query({ offset: offset + LIMIT }), text: 'Older →' }) : null));
  page.append(table(['When', 'Who', 'From', 'Action', 'Target', 'Before', 'After'], entries.slice(0, LIMIT).map(a => ({
    attrs: { class: 'audit-entry' },
    cells: [when(a.at), a.username || '', a.sourceAddress || '', a.action || '', a.target || '',
      state(a.before), state(a.after)],
  })), { empty: 'Nothing recorded yet.', class: 'audit-table' }));
}

function state(value) {
  if (value === null || value === undefined) {
    return '';
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  return el('pre', { class: 'state', text });
}
