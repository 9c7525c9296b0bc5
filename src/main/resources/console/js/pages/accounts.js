// Accounts: change one's own password; admins also list, add and remove accounts.
import { api, segment } from '../api.js';
import { el, table, field, button, showError, clearErrors, when } from '../dom.js';
import { confirmDialog } from './blacklist.js';

export async function render(page, _route, ctx) {
  page.append(el('h1', { text: 'Accounts' }));
  page.append(passwordForm(ctx));
  if (!ctx.isAdmin) {
    return;
  }
  const accounts = await api('GET', '/api/accounts');
  if (!ctx.current()) {
    return;
  }
  page.append(el('section', { class: 'card' }, el('h2', { text: 'All accounts' }),
    table(['User', 'Role', 'Created', 'Password changed', ''], accounts.map(a => ({
      attrs: { class: 'account', dataset: { username: a.username } },
      cells: [a.username, a.role, when(a.createdAt), when(a.passwordChangedAt),
        a.username === ctx.session.username ? el('span', { class: 'muted', text: 'you' }) : button('Remove', async () => {
          if (!await confirmDialog(`Remove the account ${a.username}?`, 'Remove')) {
            return;
          }
          try {
            await api('DELETE', '/api/accounts/' + segment(a.username));
            ctx.flash(`The account ${a.username} was removed.`);
            ctx.navigate('#/accounts');
          } catch (e) {
            ctx.flash(e.message, 'error');
          }
        }, { class: 'small', dataset: { action: 'remove', username: a.username } })],
    })), { class: 'accounts-table' })));
  page.append(addForm(ctx));
}

function passwordForm(ctx) {
  const current = el('input', { type: 'password', name: 'currentPassword', id: 'pw-current', autocomplete: 'current-password', required: true });
  const next = el('input', { type: 'password', name: 'newPassword', id: 'pw-new', autocomplete: 'new-password', required: true, minlength: '12' });
  const again = el('input', { type: 'password', name: 'repeat', id: 'pw-repeat', autocomplete: 'new-password', required: true });
  const form = el('form', { class: 'card inline-form', id: 'password-form' },
    el('h2', { text: `Change your password (${ctx.session.username})` }),
    field('Current password', current, { field: 'currentPassword' }),
    field('New password (at least 12 characters)', next, { field: 'newPassword' }),
    field('New password again', again, { field: 'repeat' }),
    el('p', { class: 'form-error', role: 'alert' }),
    el('button', { type: 'submit', class: 'primary', text: 'Change password' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    if (next.value !== again.value) {
      showError(form, { field: 'repeat', message: 'The two new passwords differ.' });
      return;
    }
    try {
      await api('PUT', '/api/account/password', { currentPassword: current.value, newPassword: next.value });
      form.reset();
      ctx.flash('Your password was changed.');
    } catch (e) {
      showError(form, e.status === 403 && !e.field ? { field: 'currentPassword', message: e.message } : e);
    }
  });
  return form;
}

function addForm(ctx) {
  const username = el('input', { name: 'username', id: 'acct-username', required: true, autocomplete: 'off' });
  const password = el('input', { name: 'password', id: 'acct-password', type: 'password', autocomplete: 'new-password', required: true });
  const role = el('select', { name: 'role', id: 'acct-role' },
    el('option', { value: 'viewer', text: 'viewer (read only)' }), el('option', { value: 'admin', text: 'admin' }));
  const form = el('form', { class: 'card inline-form', id: 'account-add' },
    el('h2', { text: 'Add an account' }),
    field('User name', username, { field: 'username' }),
    field('Password (at least 12 characters)', password, { field: 'password' }),
    field('Role', role, { field: 'role' }),
    el('p', { class: 'form-error', role: 'alert' }),
    el('button', { type: 'submit', class: 'primary', text: 'Add account' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    try {
      await api('POST', '/api/accounts', { username: username.value.trim(), password: password.value, role: role.value });
      ctx.flash(`The account ${username.value.trim()} was added.`);
      ctx.navigate('#/accounts');
    } catch (e) {
      showError(form, e);
    }
  });
  return form;
}
