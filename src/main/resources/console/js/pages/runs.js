// Detection runs: the recent runs and, for one run, what it decided for each address.
import { api, segment } from '../api.js';
import { el, table, when } from '../dom.js';
import { formatDateTime, describe } from '../format.js';
import { findingsTable, runId, countOf } from './dashboard.js';

export async function render(page, { rest }, ctx) {
  if (rest.length) {
    page.append(el('p', {}, el('a', { href: '#/runs', text: '← Runs' })));
    const run = await api('GET', '/api/detection/runs/' + segment(rest[0]));
    if (!ctx.current()) {
      return;
    }
    page.append(el('h1', { text: `Detection run #${runId(run) ?? rest[0]}` }));
    page.append(el('section', { class: 'card' }, el('dl', { class: 'facts' },
      fact('Started', formatDateTime(run.startedAt)), fact('Finished', formatDateTime(run.finishedAt)),
      fact('Status', run.status), fact('Trigger', run.trigger), fact('Candidates per case', describe(run.matches)),
      run.error ? fact('Error', run.error) : null)));
    page.append(el('section', { class: 'card' }, el('h2', { text: 'Findings' }), findingsTable(run.findings || [])));
    return;
  }
  page.append(el('h1', { text: 'Detection runs' }));
  const runs = await api('GET', '/api/detection/runs?limit=50');
  if (!ctx.current()) {
    return;
  }
  page.append(table(['Run', 'Started', 'Trigger', 'Status', 'Added', 'Refreshed', 'Stopped', 'Simulated'],
    runs.map(r => [
      el('a', { href: '#/runs/' + segment(runId(r)), text: '#' + runId(r) }), when(r.startedAt), r.trigger || '',
      r.status || '', String(countOf(r, 'added')), String(countOf(r, 'refreshed')), String(countOf(r, 'stopped')),
      String(countOf(r, 'simulated')),
    ]), { empty: 'No run yet.', class: 'runs-table' }));
}

function fact(label, value) {
  return [el('dt', { text: label }), el('dd', { text: value === null || value === undefined ? '' : String(value) })];
}
