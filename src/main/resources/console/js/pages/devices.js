// Devices: the firewalls that send syslog, when each was last heard, its rate, and the time zone
// its own timestamps are read in (editable).
import { api, segment } from '../api.js';
import { el, table, showError, clearErrors, when } from '../dom.js';
import { ago, formatNumber } from '../format.js';

export async function render(page, _route, ctx) {
  const devices = await api('GET', '/api/devices');
  if (!ctx.current()) {
    return;
  }
  page.append(el('h1', { text: 'Devices' }));
  page.append(el('p', { class: 'muted', text: 'Firewalls are known by the host name in their syslog header. '
    + 'The time zone says how the firewall\'s own time stamps are read (empty = the service\'s default).' }));
  page.append(zoneList());
  page.append(table(['Firewall', 'Sender', 'First seen', 'Last heard', 'Lines total', 'Lines last hour', 'Lines per minute',
    'Time zone', 'State'],
    devices.map(d => ({
      attrs: { class: d.silent ? 'warn device' : 'device', dataset: { device: d.name } },
      cells: [
        el('a', { href: '#/records?device=' + encodeURIComponent(d.name), text: d.name }),
        d.lastSender || '', when(d.firstSeen),
        when(d.lastSeen, `(${ago(d.lastSeen)})`),
        formatNumber(d.linesTotal), formatNumber(d.linesLastHour),
        d.linesPerMinute === null || d.linesPerMinute === undefined ? '—' : formatNumber(d.linesPerMinute),
        zoneEditor(d, ctx),
        d.silent ? el('span', { class: 'badge bad', text: 'silent' }) : el('span', { class: 'badge good', text: 'sending' }),
      ],
    })), { empty: 'No firewall has sent syslog yet.', class: 'devices-table' }));
}

function zoneList() {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return el('datalist', { id: 'time-zones' }, ['UTC', ...zones].map(z => el('option', { value: z })));
}

function zoneEditor(device, ctx) {
  const input = el('input', { name: 'timeZone', list: 'time-zones', autocomplete: 'off',
    placeholder: device.effectiveTimeZone ? `default (${device.effectiveTimeZone})` : 'default',
    'aria-label': 'Time zone of ' + device.name });
  input.value = device.timeZone || '';
  if (!ctx.isAdmin) {
    input.disabled = true;
    return input;
  }
  const form = el('form', { class: 'zone-form', dataset: { field: 'timeZone' } },
    input, el('button', { type: 'submit', class: 'small', text: 'Save' }), el('small', { class: 'field-error', role: 'alert' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    try {
      const zone = input.value.trim();
      await api('PUT', '/api/devices/' + segment(device.name), { timeZone: zone === '' ? null : zone });
      ctx.flash(zone ? `${device.name}: time stamps are read in ${zone}.` : `${device.name}: the default time zone applies.`);
      ctx.navigate('#/devices');
    } catch (e) {
      showError(form, { message: e.message, field: 'timeZone' });
    }
  });
  return form;
}
