// Detection settings: the three cases (thresholds, windows, simulation), schedule, retention,
// block window, EDL and policy — each edited in place, showing its default and where it comes from.
import { api } from '../api.js';
import { el } from '../dom.js';
import { settingsCard, save } from '../settings-editor.js';

const CASES = [
  ['port-scan', 'Case 1 — port scan', 'One outside address to one of ours on more than N ports within M minutes (M = 0: off).',
    ['detect.port-scan.ports', 'detect.port-scan.window-minutes']],
  ['host-sweep', 'Case 2 — host sweep', 'One outside address to more than N of our addresses on one port within M minutes (M = 0: off).',
    ['detect.host-sweep.hosts', 'detect.host-sweep.window-minutes']],
  ['vulnerability', 'Case 3 — vulnerability exploits', 'Level 0 off, 1 critical, 2 high or critical threats of the firewall.',
    ['detect.vulnerability.level', 'detect.vulnerability.window-minutes', 'detect.vulnerability.subtypes']],
];
const GROUPS = [
  ['Schedule', ['detect.cron', 'detect.refresh-window-minutes']],
  ['Retention and block window', ['blacklist.block-window-days', 'housekeeping.retention-days']],
  ['Published lists (EDL)', ['edl.max-entries', 'edl.aggregate-cidrs']],
  ['Address policy', ['policy.own-networks']],
];
const SIMULATE = 'detect.simulate-cases';

export async function render(page, _route, ctx) {
  const settings = await api('GET', '/api/settings');
  if (!ctx.current()) {
    return;
  }
  const byKey = new Map(settings.map(s => [s.key, s]));
  page.append(el('h1', { text: 'Detection settings' }));
  page.append(el('p', { class: 'muted', text: 'Values saved here are stored in the database and apply from the next '
    + 'detection run, without a restart; Reset returns to application.properties.' }));
  const simulated = new Set(String(byKey.get(SIMULATE)?.value || '').split(',').map(s => s.trim()).filter(Boolean));
  const shown = new Set([SIMULATE]);
  for (const [caseName, title, explanation, keys] of CASES) {
    keys.forEach(k => shown.add(k));
    page.append(settingsCard(title, keys, byKey, ctx, '#/settings',
      simulateToggle(caseName, simulated, byKey.get(SIMULATE), ctx), explanation));
  }
  for (const [title, keys] of GROUPS) {
    keys.forEach(k => shown.add(k));
    page.append(settingsCard(title, keys, byKey, ctx, '#/settings'));
  }
  const others = settings.map(s => s.key).filter(k => !shown.has(k) && !k.startsWith('mail.'));
  if (others.length) {
    page.append(settingsCard('Other', others, byKey, ctx, '#/settings'));
  }
}

function simulateToggle(caseName, simulated, setting, ctx) {
  if (!setting) {
    return null;
  }
  const box = el('input', { type: 'checkbox', id: 'simulate-' + caseName, name: 'simulate-' + caseName,
    dataset: { case: caseName } });
  box.checked = simulated.has(caseName);
  box.disabled = !ctx.isAdmin;
  const container = el('div', { class: 'simulate', dataset: { field: SIMULATE } },
    el('label', { for: box.id }, box, ' Simulate only: record findings, block nothing'),
    el('small', { class: 'muted', text: setting.source === 'database' ? ' (set here)' : ' (from application.properties)' }),
    el('small', { class: 'field-error', role: 'alert' }));
  box.addEventListener('change', async () => {
    const next = new Set(simulated);
    if (box.checked) {
      next.add(caseName);
    } else {
      next.delete(caseName);
    }
    const ok = await save({ [SIMULATE]: [...next].join(',') }, container, ctx, '#/settings');
    if (!ok) {
      box.checked = !box.checked;
    }
  });
  return container;
}
