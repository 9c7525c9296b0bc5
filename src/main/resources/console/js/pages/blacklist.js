// Blacklist: every listed address with its case, first/last seen and evidence; detail with
// history and findings; remove, move to the allowlist, add by hand with a reason.
import { api, query, segment } from '../api.js';
import { el, table, field, button, askDialog, showError, clearErrors, when } from '../dom.js';
import { formatDateTime, ago, describe, localInputToIso } from '../format.js';
import { findingsTable } from './dashboard.js';

export async function render(page, { rest, params }, ctx) {
  if (rest.length) {
    return detail(page, rest[0], ctx);
  }
  const filters = { case: params.get('case') || '', source: params.get('source') || '', q: params.get('q') || '' };
  page.append(el('h1', { text: 'Blacklist' }));
  if (ctx.isAdmin) {
    page.append(addForm(ctx));
  }
  page.append(filterForm(filters, ctx));
  const entries = await api('GET', '/api/blacklist' + query(filters));
  if (!ctx.current()) {
    return;
  }
  page.append(el('p', { class: 'muted', id: 'blacklist-count', text: `${entries.length} listed` }));
  page.append(table(['Address', 'Case', 'Source', 'First seen', 'Last seen', 'Evidence / reason', ''],
    entries.map(e => ({
      attrs: { class: 'entry', dataset: { address: e.address } },
      cells: [
        el('a', { href: '#/blacklist/' + segment(e.address), class: 'address', text: e.address }),
        e.case || e.caseName || '',
        e.source || '',
        when(e.firstSeen),
        when(e.lastSeen, `(${ago(e.lastSeen)})`),
        [e.reason ? el('div', { text: e.reason }) : null, el('div', { class: 'evidence', text: describe(e.evidence) })],
        ctx.isAdmin ? entryActions(e.address, ctx, '#/blacklist') : '',
      ],
    })), { empty: 'The blacklist is empty.', class: 'blacklist-table' }));
}

function entryActions(address, ctx, back) {
  return el('div', { class: 'row-actions' },
    button('Remove', async () => {
      if (!await confirmDialog(`Remove ${address} from the blacklist?`, 'Remove')) {
        return;
      }
      try {
        await api('DELETE', '/api/blacklist/' + segment(address));
        ctx.flash(`${address} was removed from the blacklist.`);
        ctx.navigate(back);
      } catch (e) {
        ctx.flash(e.message, 'error');
      }
    }, { class: 'small', dataset: { action: 'remove', address } }),
    button('Allowlist', async () => {
      const done = await askDialog(`Move ${address} to the allowlist`, [
        { name: 'comment', label: 'Comment', value: 'moved from the blacklist', required: true },
        { name: 'expiresAt', label: 'Expires (empty = never)', type: 'datetime-local' },
      ], 'Move to allowlist', values => api('POST', '/api/blacklist/' + segment(address) + '/allowlist',
        { comment: values.comment, expiresAt: localInputToIso(values.expiresAt) }));
      if (done) {
        ctx.flash(`${address} is now on the allowlist and off the blacklist.`);
        ctx.navigate(back);
      }
    }, { class: 'small', dataset: { action: 'allowlist', address } }));
}

/** A yes/no question in a modal dialog. */
export function confirmDialog(question, yes) {
  return askDialog(question, [], yes, () => true);
}

function addForm(ctx) {
  const address = el('input', { name: 'address', id: 'add-address', placeholder: '198.51.100.23', required: true,
    autocomplete: 'off' });
  const reason = el('input', { name: 'reason', id: 'add-reason', placeholder: 'why', required: true });
  const form = el('form', { class: 'card inline-form', id: 'blacklist-add' },
    el('h2', { text: 'Add an address by hand' }),
    field('Address', address, { field: 'address' }),
    field('Reason', reason, { field: 'reason' }),
    el('p', { class: 'form-error', role: 'alert' }),
    el('button', { type: 'submit', class: 'primary', text: 'Blacklist' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    try {
      await api('POST', '/api/blacklist', { address: address.value.trim(), reason: reason.value.trim() });
      ctx.flash(`${address.value.trim()} is on the blacklist.`);
      ctx.navigate('#/blacklist');
    } catch (e) {
      showError(form, e);
    }
  });
  return form;
}

function filterForm(filters, ctx) {
  const caseSelect = el('select', { name: 'case', id: 'bl-case' },
    [['', 'Any case'], ['port-scan', 'Port scan'], ['host-sweep', 'Host sweep'], ['vulnerability', 'Vulnerability'],
      ['manual', 'Manual']].map(([value, label]) => el('option', { value, text: label })));
  caseSelect.value = filters.case;
  const sourceSelect = el('select', { name: 'source', id: 'bl-source' },
    [['', 'Any source'], ['detected', 'Detected'], ['manual', 'Manual']].map(([value, label]) => el('option', { value, text: label })));
  sourceSelect.value = filters.source;
  const q = el('input', { name: 'q', id: 'bl-q', placeholder: 'address or text' });
  q.value = filters.q;
  const form = el('form', { class: 'card filters inline-form' },
    field('Case', caseSelect), field('Source', sourceSelect), field('Search', q),
    el('button', { type: 'submit', text: 'Filter' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    ctx.navigate('#/blacklist' + query({ case: caseSelect.value, source: sourceSelect.value, q: q.value }));
  });
  return form;
}

async function detail(page, address, ctx) {
  page.append(el('p', {}, el('a', { href: '#/blacklist', text: '← Blacklist' })));
  const detail = await api('GET', '/api/blacklist/' + segment(address));
  if (!ctx.current()) {
    return;
  }
  const entry = detail.entry || {};
  const shown = detail.address || address;
  page.append(el('h1', {}, 'Blacklist: ', el('span', { class: 'address', text: shown }),
    ' ', el('span', { class: 'badge ' + (detail.listed ? 'bad' : 'good'), text: detail.listed ? 'listed' : 'not listed' })));
  page.append(el('section', { class: 'card' },
    detail.listed ? el('dl', { class: 'facts' },
      fact('Case', entry.case || entry.caseName),
      fact('Source', entry.source),
      fact('First seen', formatDateTime(entry.firstSeen)),
      fact('Last seen', formatDateTime(entry.lastSeen)),
      fact('Times detected', entry.timesDetected),
      fact('Reason', entry.reason),
      fact('Added by', entry.addedBy || (entry.addedByRun ? 'detection run #' + entry.addedByRun : '')),
      fact('Evidence', describe(entry.evidence))) : el('p', { class: 'muted', text: 'Not on the blacklist now; its past is below.' }),
    el('p', {}, el('a', { href: '#/records' + query({ src: shown, range: '7d' }), text: 'Its records of the last 7 days' })),
    ctx.isAdmin && detail.listed ? entryActions(shown, ctx, '#/blacklist') : null));
  const history = detail.history || [];
  page.append(el('section', { class: 'card' }, el('h2', { text: 'History' }),
    table(['Case', 'Source', 'First seen', 'Last seen', 'Removed', 'Why', 'Evidence'], history.map(h => [
      h.case || h.caseName || '', h.source || '', when(h.firstSeen), when(h.lastSeen),
      when(h.removedAt), h.removal || '', describe(h.evidence),
    ]), { empty: 'Never removed before.' })));
  page.append(el('section', { class: 'card' }, el('h2', { text: 'Detection findings' }),
    findingsTable((detail.findings || []).map(f => ({ address: shown, ...f })))));
}

function fact(label, value) {
  return [el('dt', { text: label }), el('dd', { text: value === null || value === undefined ? '' : String(value) })];
}
