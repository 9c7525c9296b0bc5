// Dashboard: traffic now and over 24 h, blacklist size, the last detection run, the firewalls,
// and the engine switch.
import { api, segment } from '../api.js';
import { el, svg, table, button, when } from '../dom.js';
import { ago, formatDateTime, formatNumber, formatTime, describe } from '../format.js';

export async function render(page, _route, ctx) {
  const data = await api('GET', '/api/dashboard');
  if (!ctx.current()) {
    return;
  }
  page.append(el('h1', { text: 'Dashboard' }));
  const engineRunning = data.engine && data.engine.running;
  page.append(el('div', { class: 'tiles' },
    tile('Lines per second', data.linesPerSecond === null || data.linesPerSecond === undefined ? '—'
      : formatNumber(data.linesPerSecond), 'tile-rate'),
    tile('Lines in 24 h', formatNumber((data.lines24h || []).reduce((sum, b) => sum + (b.lines || 0), 0)), 'tile-lines'),
    tile('Blacklisted', formatNumber(data.blacklistSize), 'tile-blacklist', '#/blacklist'),
    engineTile(engineRunning, ctx)));

  page.append(el('section', { class: 'card' },
    el('h2', { text: 'Lines received, last 24 hours' }),
    chart(data.lines24h || [])));

  page.append(await lastRunCard(data.lastRun, ctx));

  const devices = data.devices || [];
  page.append(el('section', { class: 'card' },
    el('h2', {}, 'Firewalls ', el('a', { href: '#/devices', class: 'small', text: 'details' })),
    table(['Firewall', 'Last heard', 'State'], devices.map(d => ({
      attrs: { class: d.silent ? 'warn' : '' },
      cells: [d.name, when(d.lastSeen, `(${ago(d.lastSeen)})`),
        d.silent ? el('span', { class: 'badge bad', text: 'silent' }) : el('span', { class: 'badge good', text: 'sending' })],
    })), { empty: 'No firewall has sent syslog yet.', class: 'devices-table' })));
}

function tile(label, value, id, href) {
  const body = [el('span', { class: 'tile-label', text: label }), el('span', { class: 'tile-value', id, text: value })];
  return href ? el('a', { class: 'tile', href }, body) : el('div', { class: 'tile' }, body);
}

function engineTile(running, ctx) {
  const state = el('span', { class: 'tile-value', id: 'engine-state', text: running ? 'on' : 'off' });
  const box = el('div', { class: 'tile engine ' + (running ? 'on' : 'off') },
    el('span', { class: 'tile-label', text: 'Engine (scheduled detection and housekeeping)' }), state);
  if (ctx.isAdmin) {
    box.append(button(running ? 'Switch off' : 'Switch on', async () => {
      try {
        const answer = await api('PUT', '/api/engine', { running: !running });
        ctx.flash(answer && answer.running ? 'The engine is on.' : 'The engine is off: no scheduled detection or housekeeping.');
        ctx.navigate('#/dashboard');
      } catch (e) {
        ctx.flash(e.message, 'error');
      }
    }, { class: running ? 'danger' : 'primary', dataset: { action: 'engine-toggle' } }));
  }
  return box;
}

async function lastRunCard(run, ctx) {
  const card = el('section', { class: 'card', id: 'last-run' }, el('h2', { text: 'Last detection run' }));
  if (ctx.isAdmin) {
    card.append(button('Run detection now', async () => {
      try {
        const summary = await api('POST', '/api/detection/run');
        ctx.flash(`Detection ran: ${countOf(summary, 'added')} added, ${countOf(summary, 'refreshed')} refreshed.`);
        ctx.navigate('#/dashboard');
      } catch (e) {
        ctx.flash(e.message, 'error');
      }
    }, { class: 'primary', dataset: { action: 'run-detection' } }));
  }
  if (!run) {
    card.append(el('p', { class: 'muted', text: 'No detection run yet.' }));
    return card;
  }
  const id = runId(run);
  card.append(el('dl', { class: 'facts' },
    fact('Run', id === null ? '' : el('a', { href: '#/runs/' + segment(id), text: '#' + id })),
    fact('Started', formatDateTime(run.startedAt)),
    fact('Status', run.status),
    fact('Trigger', run.trigger),
    fact('Added', String(countOf(run, 'added'))),
    fact('Refreshed', String(countOf(run, 'refreshed'))),
    fact('Stopped by policy', String(countOf(run, 'stopped'))),
    fact('Simulated', String(countOf(run, 'simulated'))),
    run.error ? fact('Error', run.error) : null));
  let findings = Array.isArray(run.findings) ? run.findings : null;
  if (!findings && id !== null) {
    try {
      findings = (await api('GET', '/api/detection/runs/' + segment(id))).findings || [];
    } catch (e) {
      findings = [];
    }
  }
  if (!findings) {
    findings = ['added', 'refreshed', 'stopped', 'simulated']
      .flatMap(kind => (Array.isArray(run[kind]) ? run[kind] : []).map(f => ({ ...f, outcome: f.outcome || kind })));
  }
  card.append(findingsTable(findings));
  return card;
}

export function findingsTable(findings) {
  return table(['Address', 'Case', 'Outcome', 'Evidence', 'Reason'], findings.map(f => [
    el('a', { href: '#/records?src=' + encodeURIComponent(f.address), class: 'address', text: f.address }),
    f.caseName || f.case || '', String(f.outcome || '').toLowerCase(), describe(f.evidence), f.reason || '',
  ]), { empty: 'This run found nothing.', class: 'findings-table' });
}

export function runId(run) {
  const id = run.id ?? run.runId;
  return id === undefined ? null : id;
}

export function countOf(run, kind) {
  if (Array.isArray(run[kind])) {
    return run[kind].length;
  }
  const n = run[kind + 'Count'] ?? (kind === 'added' ? run.newCount : undefined);
  return n ?? 0;
}

function fact(label, value) {
  return [el('dt', { text: label }), el('dd', {}, value ?? '')];
}

/** Bars of lines per 15 minutes, drawn as SVG with DOM calls (no library, no markup strings). */
function chart(buckets) {
  const width = 960;
  const height = 220;
  const left = 56;
  const bottom = 24;
  const top = 10;
  const plotW = width - left - 8;
  const plotH = height - bottom - top;
  const max = Math.max(1, ...buckets.map(b => b.lines || 0));
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', id: 'traffic-chart',
    'aria-label': 'Lines received per 15 minutes over the last 24 hours' });
  root.append(svg('line', { x1: left, y1: top + plotH, x2: width - 8, y2: top + plotH, class: 'axis' }));
  for (const fraction of [0, 0.5, 1]) {
    const y = top + plotH - fraction * plotH;
    root.append(svg('line', { x1: left, y1: y, x2: width - 8, y2: y, class: 'grid' }));
    root.append(svg('text', { x: left - 6, y: y + 4, class: 'label end', text: formatNumber(Math.round(max * fraction)) }));
  }
  const step = buckets.length ? plotW / buckets.length : plotW;
  buckets.forEach((b, i) => {
    const h = ((b.lines || 0) / max) * plotH;
    const x = left + i * step;
    const bar = svg('rect', { x: x + 0.5, y: top + plotH - h, width: Math.max(1, step - 1), height: h, class: 'bar' },
      svg('title', { text: `${formatDateTime(b.at)}: ${formatNumber(b.lines)} lines` }));
    root.append(bar);
    if (i % 16 === 0) {
      root.append(svg('text', { x, y: height - 6, class: 'label', text: formatTime(b.at) }));
    }
  });
  if (!buckets.length) {
    root.append(svg('text', { x: width / 2, y: height / 2, class: 'label middle', text: 'No data' }));
  }
  return root;
}
