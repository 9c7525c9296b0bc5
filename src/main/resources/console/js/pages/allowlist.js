// Allowlist: networks never blocked (database entries can be added and removed here; the ones from
// application.properties are shown and kept).
import { api, segment } from '../api.js';
import { el, table, field, button, showError, clearErrors, when } from '../dom.js';
import { localInputToIso, timeZone } from '../format.js';
import { confirmDialog } from './blacklist.js';

export async function render(page, _route, ctx) {
  page.append(el('h1', { text: 'Allowlist' }));
  page.append(el('p', { class: 'muted',
    text: 'Addresses and networks here are never blocked, besides private, reserved and your own networks.' }));
  if (ctx.isAdmin) {
    page.append(addForm(ctx));
  }
  const entries = await api('GET', '/api/allowlist');
  if (!ctx.current()) {
    return;
  }
  page.append(table(['Network', 'Comment', 'Expires', 'Added', 'By', 'Source', ''], entries.map(a => ({
    attrs: { class: 'entry', dataset: { network: a.network } },
    cells: [
      el('span', { class: 'address', text: a.network }), a.comment || '',
      a.expiresAt ? when(a.expiresAt) : 'never', when(a.createdAt), a.createdBy || '',
      a.source === 'properties' ? 'application.properties' : (a.source || ''),
      ctx.isAdmin && a.id !== null && a.id !== undefined && a.source !== 'properties'
        ? button('Remove', async () => {
          if (!await confirmDialog(`Remove ${a.network} from the allowlist?`, 'Remove')) {
            return;
          }
          try {
            await api('DELETE', '/api/allowlist/' + segment(a.id));
            ctx.flash(`${a.network} was removed from the allowlist.`);
            ctx.navigate('#/allowlist');
          } catch (e) {
            ctx.flash(e.message, 'error');
          }
        }, { class: 'small', dataset: { action: 'remove', network: a.network } })
        : '',
    ],
  })), { empty: 'The allowlist is empty.', class: 'allowlist-table' }));
}

function addForm(ctx) {
  const network = el('input', { name: 'network', id: 'allow-network', placeholder: '198.51.100.0/24', required: true,
    autocomplete: 'off' });
  const comment = el('input', { name: 'comment', id: 'allow-comment', placeholder: 'partner scanner' });
  const expires = el('input', { name: 'expiresAt', id: 'allow-expires', type: 'datetime-local' });
  const form = el('form', { class: 'card inline-form', id: 'allowlist-add' },
    el('h2', { text: 'Add a network' }),
    field('Address or CIDR', network, { field: 'network' }),
    field('Comment', comment, { field: 'comment' }),
    field(`Expires (${timeZone}; empty = never)`, expires, { field: 'expiresAt' }),
    el('p', { class: 'form-error', role: 'alert' }),
    el('button', { type: 'submit', class: 'primary', text: 'Add' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    try {
      await api('POST', '/api/allowlist', { network: network.value.trim(), comment: comment.value.trim(),
        expiresAt: localInputToIso(expires.value) });
      ctx.flash(`${network.value.trim()} is on the allowlist.`);
      ctx.navigate('#/allowlist');
    } catch (e) {
      showError(form, e);
    }
  });
  return form;
}
