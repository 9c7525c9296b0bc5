// Edits settings in place: one row per setting with its effective value, default and source;
// Save stores it in the database (PUT /api/settings), Reset goes back to application.properties.
// A 400 is shown next to the field the server names.
import { api, segment } from './api.js';
import { el, button, showError, clearErrors } from './dom.js';

const SECRET_KEYS = new Set(['mail.smtp.password']);

/** A card of setting rows for the given keys (those the server does not know are left out). */
export function settingsCard(title, keys, byKey, ctx, back, extra, intro) {
  const rows = keys.filter(k => byKey.has(k)).map(k => settingRow(byKey.get(k), ctx, back));
  return el('section', { class: 'card settings-card' }, el('h2', { text: title }),
    intro ? el('p', { class: 'muted', text: intro }) : null, rows, extra || null);
}

export function settingRow(setting, ctx, back) {
  const input = inputFor(setting);
  input.id = 'setting-' + setting.key.replace(/[^a-z0-9]+/gi, '-');
  input.name = setting.key;
  const isSecret = SECRET_KEYS.has(setting.key) || setting.kind === 'secret';
  const row = el('form', { class: 'setting', dataset: { field: setting.key, key: setting.key } },
    el('div', { class: 'setting-name' },
      el('label', { for: input.id, class: 'setting-key', text: setting.key }),
      setting.description ? el('small', { class: 'muted', text: setting.description }) : null),
    el('div', { class: 'setting-value' }, input, el('small', { class: 'field-error', role: 'alert' })),
    el('div', { class: 'setting-meta' },
      el('span', { class: 'badge ' + (setting.source === 'database' ? 'changed' : ''), dataset: { role: 'source' },
        text: setting.source === 'database' ? 'set here' : 'application.properties' }),
      el('small', { class: 'muted', dataset: { role: 'default' },
        text: 'default: ' + (isSecret ? (setting.default ? '********' : '(empty)') : (setting.default === '' || setting.default === null || setting.default === undefined ? '(empty)' : setting.default)) })),
    ctx.isAdmin ? el('div', { class: 'setting-actions' },
      el('button', { type: 'submit', class: 'primary small', text: 'Save', dataset: { action: 'save' } }),
      setting.source === 'database' ? button('Reset', async () => {
        clearErrors(row);
        try {
          await api('DELETE', '/api/settings/' + segment(setting.key));
          ctx.flash(`${setting.key} is back to the value of application.properties.`);
          ctx.navigate(back);
        } catch (e) {
          showError(row, { ...e, message: e.message, field: e.field || setting.key });
        }
      }, { class: 'small', dataset: { action: 'reset' } }) : null) : null);
  if (!ctx.isAdmin) {
    input.disabled = true;
  }
  row.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(row);
    const value = valueOf(input, setting);
    if (value === null) {
      ctx.flash(`${setting.key} was left unchanged.`);
      return;
    }
    await save({ [setting.key]: value }, row, ctx, back);
  });
  return row;
}

/** Stores values; on a 400 the error goes next to the field (in container), else into a flash. */
export async function save(values, container, ctx, back) {
  try {
    await api('PUT', '/api/settings', values);
    ctx.flash('Saved: ' + Object.keys(values).join(', ') + '. The next detection run uses it.');
    ctx.navigate(back);
    return true;
  } catch (e) {
    const slot = showError(container, { message: e.message, field: e.field || Object.keys(values)[0] });
    if (!slot) {
      ctx.flash(e.message, 'error');
    }
    return false;
  }
}

function inputFor(setting) {
  const kind = setting.kind || 'text';
  if (SECRET_KEYS.has(setting.key) || kind === 'secret') {
    return el('input', { type: 'password', autocomplete: 'new-password',
      placeholder: setting.value ? 'set — type to replace' : 'not set' });
  }
  if (kind === 'boolean') {
    const select = el('select', {}, el('option', { value: 'true', text: 'true' }), el('option', { value: 'false', text: 'false' }));
    select.value = String(setting.value).toLowerCase() === 'true' ? 'true' : 'false';
    return select;
  }
  if (kind.startsWith('choice:')) {
    const choices = kind.substring('choice:'.length).split('|');
    const select = el('select', {}, choices.map(c => el('option', { value: c, text: c })));
    if (!choices.includes(setting.value)) {
      select.append(el('option', { value: setting.value, text: setting.value }));
    }
    select.value = setting.value;
    return select;
  }
  // integer:MIN..MAX — a text field, so a wrong value reaches the server and its reason is shown
  const integer = kind.startsWith('integer');
  const range = integer && kind.includes(':') ? kind.substring(kind.indexOf(':') + 1).replace('..', ' to ') : '';
  const input = el('input', { type: 'text', autocomplete: 'off', inputmode: integer ? 'numeric' : null, spellcheck: 'false',
    title: range ? 'a whole number from ' + range : null });
  input.value = setting.value ?? '';
  return input;
}

function valueOf(input, setting) {
  if (SECRET_KEYS.has(setting.key) || setting.kind === 'secret') {
    return input.value === '' ? null : input.value;
  }
  return input.value.trim();
}
