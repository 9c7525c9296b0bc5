// Dates in the browser's time zone, numbers in its locale.

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An ISO-8601 instant as local date and time; '' for none, the text itself if unparsable. */
export function formatDateTime(iso) {
  if (iso === null || iso === undefined || iso === '') {
    return '';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

export function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : timeOnly.format(d);
}

/** "5 min ago", "3 h ago", ... for a past instant. */
export function ago(iso) {
  if (!iso) {
    return 'never';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return String(iso);
  }
  const seconds = Math.round((Date.now() - d.getTime()) / 1000);
  if (seconds < 60) {
    return seconds <= 1 ? 'just now' : `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.floor(seconds / 3600)} h ago`;
  }
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function formatNumber(n) {
  return (n === null || n === undefined || Number.isNaN(Number(n))) ? '' : number.format(Number(n));
}

/** A value of a datetime-local input (the browser's zone) as an ISO instant, or null. */
export function localInputToIso(value) {
  if (!value) {
    return null;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An ISO instant as the value of a datetime-local input in the browser's zone. */
export function isoToLocalInput(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '';
  }
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Evidence and audit states (JSON) as short readable text, never markup. */
export function describe(value) {
  if (value === null || value === undefined) {
    return '';
  }
  if (Array.isArray(value)) {
    return value.map(describe).join(', ');
  }
  if (typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => `${k}: ${describe(v)}`).join('; ');
  }
  return String(value);
}
