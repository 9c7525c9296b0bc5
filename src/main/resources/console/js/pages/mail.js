// Mail: the SMTP server, sender and recipients (settings edited in place) and a test mail.
import { api } from '../api.js';
import { el, field, showError, clearErrors } from '../dom.js';
import { settingsCard } from '../settings-editor.js';

const SMTP = ['mail.smtp.host', 'mail.smtp.port', 'mail.smtp.security', 'mail.smtp.username', 'mail.smtp.password'];
const ADDRESSES = ['mail.from', 'mail.to'];

export async function render(page, _route, ctx) {
  const settings = await api('GET', '/api/settings');
  if (!ctx.current()) {
    return;
  }
  const byKey = new Map(settings.map(s => [s.key, s]));
  page.append(el('h1', { text: 'Mail' }));
  page.append(el('p', { class: 'muted', text: 'New blocked addresses go out as one digest per detection run. '
    + 'With no SMTP host, mails are kept as files in the outbox folder.' }));
  page.append(settingsCard('SMTP server', SMTP, byKey, ctx, '#/mail'));
  page.append(settingsCard('Sender and recipients', ADDRESSES, byKey, ctx, '#/mail'));
  const rest = settings.map(s => s.key).filter(k => k.startsWith('mail.') && !SMTP.includes(k) && !ADDRESSES.includes(k));
  if (rest.length) {
    page.append(settingsCard('More', rest, byKey, ctx, '#/mail'));
  }
  if (ctx.isAdmin) {
    page.append(testForm(ctx));
  }
}

function testForm(ctx) {
  const to = el('input', { name: 'to', id: 'mail-test-to', placeholder: 'empty = the recipients above', type: 'email' });
  const result = el('p', { id: 'mail-test-result', role: 'status' });
  const form = el('form', { class: 'card inline-form', id: 'mail-test' },
    el('h2', { text: 'Send a test mail' }),
    field('To', to, { field: 'to' }),
    el('p', { class: 'form-error', role: 'alert' }),
    el('button', { type: 'submit', class: 'primary', text: 'Send test mail' }),
    result);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    result.textContent = 'Sending…';
    try {
      const answer = await api('POST', '/api/mail/test', to.value.trim() ? { to: to.value.trim() } : {});
      result.textContent = `Sent to ${(answer.to || []).join(', ')}.`;
      result.className = 'ok';
    } catch (e) {
      result.textContent = '';
      showError(form, e);
    }
  });
  return form;
}
