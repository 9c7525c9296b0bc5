// The admin API client: JSON over fetch with the session cookie; the CSRF token on every change.
// A 401 sends the console to its login page; other errors become ApiError with the server's text.

let csrfToken = null;
let sessionDeadline = null;   // the browser's clock: when the session cookie expires
let serverClockAhead = 0;     // server time minus browser time, from the Date header, in ms
const unauthorizedListeners = [];

/** An error answer of the API: {"error", "field"} with its status. */
export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field || null;
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null;
}

/**
 * Remembers when the session ends (its expiresAt, on the browser's clock). Past that moment the
 * browser has dropped the cookie, and a request without it would get a basic-auth challenge (a
 * native password dialog), so the console goes to its login page instead of asking.
 */
export function setSessionEnd(expiresAt) {
  const end = expiresAt ? Date.parse(expiresAt) : NaN;
  sessionDeadline = Number.isNaN(end) ? null : end - serverClockAhead;
  return sessionDeadline;
}

function sessionEnded() {
  const error = new ApiError(401, 'Your session has ended. Please log in again.');
  csrfToken = null;
  sessionDeadline = null;
  unauthorizedListeners.forEach(listener => listener(error));
  return error;
}

export function onUnauthorized(listener) {
  unauthorizedListeners.push(listener);
}

/** Calls the API; resolves with the parsed JSON body (null for 204). */
export async function api(method, path, body, options = {}) {
  if (sessionDeadline !== null && Date.now() >= sessionDeadline && !options.quiet401) {
    throw sessionEnded();
  }
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
    });
  } catch (e) {
    throw new ApiError(0, 'The service cannot be reached (' + e.message + ').');
  }
  const serverDate = Date.parse(response.headers.get('Date') || '');
  if (!Number.isNaN(serverDate)) {
    serverClockAhead = serverDate - Date.now();
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (response.ok) {
    return data;
  }
  const message = (data && typeof data.error === 'string') ? data.error
    : `${response.status} ${response.statusText || 'error'}`;
  const error = new ApiError(response.status, message, data && data.field);
  if (response.status === 401 && !options.quiet401) {
    csrfToken = null;
    sessionDeadline = null;
    unauthorizedListeners.forEach(listener => listener(error));
  }
  if (response.status === 429) {
    const retry = response.headers.get('Retry-After');
    error.retryAfterSeconds = retry ? Number(retry) : null;
  }
  throw error;
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && String(value).trim() !== '') {
      search.set(key, String(value).trim());
    }
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

/** Encodes one path segment (an address, a user name, a setting key). */
export function segment(value) {
  return encodeURIComponent(String(value));
}
