// Syslog records: every filter of GET /api/records, a result table (click an address to filter by
// it, "blacklist it" per row), paging and a CSV export of the same search.
import { api, query } from '../api.js';
import { el, table, field, button, askDialog, showError, clearErrors, when } from '../dom.js';
import { isoToLocalInput, localInputToIso, timeZone } from '../format.js';

const TEXT_FILTERS = [
  ['device', 'Firewall', 'PA-220'],
  ['src', 'Source address or CIDR', '203.0.113.0/24'],
  ['sport', 'Source port', ''],
  ['dst', 'Destination address or CIDR', ''],
  ['dport', 'Destination port', '22'],
  ['srcCountry', 'Source country', 'China'],
  ['dstCountry', 'Destination country', ''],
  ['srcUser', 'Source user', ''],
  ['type', 'Log type', 'TRAFFIC'],
  ['subtype', 'Subtype', 'vulnerability'],
  ['action', 'Action', 'deny'],
  ['rule', 'Rule', ''],
  ['severity', 'Threat severity', 'critical'],
  ['eventId', 'Event (SYSTEM, GlobalProtect, IP tag)', 'gateway-auth'],
  ['status', 'Event status', 'failure'],
];
const FILTER_KEYS = ['range', 'from', 'to', ...TEXT_FILTERS.map(f => f[0])];

export async function render(page, { params }, ctx) {
  const filters = {};
  for (const key of FILTER_KEYS) {
    if (params.get(key)) {
      filters[key] = params.get(key);
    }
  }
  const limit = Number(params.get('limit')) || 100;
  const offset = Number(params.get('offset')) || 0;
  const custom = Boolean(filters.from || filters.to);
  if (!custom && !filters.range) {
    filters.range = '24h';
  }

  page.append(el('h1', { text: 'Syslog records' }));
  const form = filterForm(filters, custom, limit, ctx);
  page.append(form);

  const search = { ...filters };
  if (custom) {
    delete search.range;
  }
  const exportLink = el('a', { class: 'button', id: 'export-csv', href: '/api/records/export.csv' + query(search),
    download: 'records.csv', text: 'Export CSV' });
  const result = el('div', { class: 'records-result' }, el('p', { class: 'muted', text: 'Loading…' }));
  page.append(result);

  let answer;
  try {
    answer = await api('GET', '/api/records' + query({ ...search, limit, offset }));
  } catch (e) {
    if (!ctx.current()) {
      return;
    }
    result.replaceChildren();
    showError(form, e);
    if (!e.field) {
      result.append(el('p', { class: 'form-error', role: 'alert', text: e.message }));
    }
    return;
  }
  if (!ctx.current()) {
    return;
  }
  const rows = answer.records || [];
  const pager = el('div', { class: 'pager' },
    el('span', { class: 'muted', id: 'records-count',
      text: rows.length ? `Records ${offset + 1}–${offset + rows.length}${answer.hasMore ? ' (more)' : ''}` : 'No records' }),
    offset > 0 ? el('a', { class: 'button', id: 'page-prev', href: hashFor(filters, custom, limit, Math.max(0, offset - limit)),
      text: '← Newer' }) : null,
    answer.hasMore ? el('a', { class: 'button', id: 'page-next', href: hashFor(filters, custom, limit, offset + limit),
      text: 'Older →' }) : null,
    exportLink);
  result.replaceChildren(pager, recordsTable(rows, filters, custom, limit, ctx));
}

function filterForm(filters, custom, limit, ctx) {
  const range = el('select', { name: 'range', id: 'filter-range' },
    [['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['custom', 'Custom…']]
      .map(([value, label]) => el('option', { value, text: label })));
  range.value = custom ? 'custom' : (filters.range || '24h');
  const from = el('input', { type: 'datetime-local', name: 'from', id: 'filter-from' });
  const to = el('input', { type: 'datetime-local', name: 'to', id: 'filter-to' });
  from.value = isoToLocalInput(filters.from);
  to.value = isoToLocalInput(filters.to);
  const customBox = el('div', { class: 'custom-range' },
    field(`From (${timeZone})`, from, { field: 'from' }), field(`To (${timeZone}, empty = now)`, to, { field: 'to' }));
  customBox.hidden = range.value !== 'custom';
  range.addEventListener('change', () => { customBox.hidden = range.value !== 'custom'; });

  const inputs = TEXT_FILTERS.map(([name, label, placeholder]) => {
    const input = el('input', { name, id: 'filter-' + name, placeholder: placeholder ? 'e.g. ' + placeholder : '', autocomplete: 'off' });
    input.value = filters[name] || '';
    return field(label, input, { field: name });
  });
  const limitSelect = el('select', { name: 'limit', id: 'filter-limit' },
    ['50', '100', '250', '500', '1000'].map(v => el('option', { value: v, text: v + ' per page' })));
  limitSelect.value = String(limit);

  const active = TEXT_FILTERS.filter(([name]) => filters[name]).length + (custom ? 1 : 0);
  const details = el('details', { class: 'filter-details' },
    el('summary', { text: active ? `More filters (${active} set)` : 'More filters' }),
    el('div', { class: 'filter-grid' }, inputs, field('Page size', limitSelect, { field: 'limit' })));
  // open on a laptop; on a phone the filters would fill the screen before any record shows
  details.open = window.matchMedia('(min-width: 761px)').matches || active > 0;
  const form = el('form', { class: 'filters card', id: 'records-filters' },
    el('div', { class: 'filter-grid' }, field('Time', range, { field: 'range' }), customBox), details,
    el('p', { class: 'form-error', role: 'alert' }),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'primary', id: 'filter-apply', text: 'Search' }),
      el('a', { class: 'button', href: '#/records', text: 'Clear filters' })));
  form.addEventListener('submit', event => {
    event.preventDefault();
    clearErrors(form);
    const next = {};
    for (const [name] of TEXT_FILTERS) {
      next[name] = form.elements[name].value.trim();
    }
    const isCustom = range.value === 'custom';
    if (isCustom) {
      next.from = localInputToIso(from.value);
      next.to = localInputToIso(to.value);
      if (!next.from) {
        showError(form, { field: 'from', message: 'Choose when the custom range starts.' });
        return;
      }
    } else {
      next.range = range.value;
    }
    ctx.navigate(hashFor(next, isCustom, Number(limitSelect.value), 0));
  });
  return form;
}

function hashFor(filters, custom, limit, offset) {
  const params = { ...filters, limit: limit === 100 ? '' : limit, offset: offset || '' };
  if (custom) {
    delete params.range;
  } else {
    delete params.from;
    delete params.to;
    if (params.range === '24h') {
      delete params.range;
    }
  }
  return '#/records' + query(params);
}

function recordsTable(rows, filters, custom, limit, ctx) {
  const filterLink = (key, value, extra) => value
    ? el('a', { href: hashFor({ ...filters, [key]: value }, custom, limit, 0), class: 'address filter-' + key,
      title: `Show only records with ${key} ${value}`, text: value + (extra ? ':' + extra : '') })
    : '';
  const headers = ['Received', 'Firewall', 'Type', 'Source', 'Src country', 'Src user', 'Destination', 'Dst country',
    'Zones', 'Rule', 'Action', 'Application', 'Threat', 'Severity', 'Event', ''];
  return table(headers, rows.map(r => ({
    attrs: { class: 'record' },
    cells: [
      when(r.receivedAt),
      r.device || '',
      [r.type || '', r.subtype ? '/' + r.subtype : ''].join(''),
      filterLink('src', r.src, r.srcPort),
      r.srcCountry || '',
      r.srcUser || '',
      filterLink('dst', r.dst, r.dstPort),
      r.dstCountry || '',
      [r.srcZone || '', ' → ', r.dstZone || ''].join(''),
      r.rule || '',
      r.action || '',
      [r.application || '', r.protocol ? ` (${r.protocol})` : ''].join(''),
      [r.threatName || '', r.threatId && r.threatId !== r.threatName ? ` [${r.threatId}]` : ''].join(''),
      r.severity || '',
      eventCell(r),
      ctx.isAdmin && r.src ? button('Blacklist it', () => blacklistDialog(r, ctx),
        { class: 'small danger', dataset: { action: 'blacklist', address: r.src } }) : '',
    ],
  })), { empty: 'No records match these filters.', class: 'records-table' });
}

// SYSTEM, GLOBALPROTECT and IPTAG lines: what happened, how it ended, to what; the description on hover.
function eventCell(r) {
  if (!r.eventId) {
    return '';
  }
  const parts = [r.eventId, r.status ? ` (${r.status})` : '', r.object ? ` ${r.object}` : '',
    r.tagName ? ` tag ${r.tagName}` : '', r.reason ? `: ${r.reason}` : ''];
  return el('span', { class: 'event', text: parts.join(''), title: r.description || '' });
}

async function blacklistDialog(record, ctx) {
  const reason = `seen in the records: ${record.type || ''} ${record.action || ''} to ${record.dst || ''}:${record.dstPort || ''}`;
  const done = await askDialog(`Blacklist ${record.src}`, [
    { name: 'address', label: 'Address', value: record.src, required: true },
    { name: 'reason', label: 'Reason', value: reason.trim(), required: true },
  ], 'Blacklist', values => api('POST', '/api/blacklist', { address: values.address, reason: values.reason }));
  if (done) {
    ctx.flash(`${done.address || record.src} is on the blacklist.`);
  }
}
