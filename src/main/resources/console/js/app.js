// The console's shell: session, navigation (hash routes like #/records?src=...), and pages.
import { api, ApiError, onUnauthorized, setCsrfToken, setSessionEnd } from './api.js';
import { el, replace, field, showError, clearErrors } from './dom.js';
import * as dashboard from './pages/dashboard.js';
import * as records from './pages/records.js';
import * as blacklist from './pages/blacklist.js';
import * as allowlist from './pages/allowlist.js';
import * as runs from './pages/runs.js';
import * as settings from './pages/settings.js';
import * as mail from './pages/mail.js';
import * as devices from './pages/devices.js';
import * as accounts from './pages/accounts.js';
import * as audit from './pages/audit.js';

const pages = { dashboard, records, blacklist, allowlist, runs, settings, mail, devices, accounts, audit };

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const flashBox = document.getElementById('flash');
let session = null;
let flashTimer = null;
let renderCount = 0;

/** Shows a short message above the page: kind is 'ok' or 'error'. */
function flash(message, kind = 'ok') {
  flashBox.textContent = message;
  flashBox.className = 'flash ' + kind;
  flashBox.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => { flashBox.hidden = true; }, kind === 'error' ? 15000 : 6000);
}

function navigate(hash) {
  if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, search] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || 'dashboard', rest: parts.slice(1), params: new URLSearchParams(search || '') };
}

async function route() {
  if (!session) {
    showLogin();
    return;
  }
  const { page, rest, params } = parseHash();
  const module = pages[page] || pages.dashboard;
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.dataset.page === page);
  }
  document.getElementById('nav').classList.remove('open');
  const ticket = ++renderCount;
  const container = el('section', { class: 'page page-' + page, dataset: { page } });
  replace(main, container);
  const ctx = {
    session,
    isAdmin: session.role === 'admin',
    flash,
    navigate,
    // a page that answers late must not draw over the page the user has moved on to
    current: () => ticket === renderCount,
  };
  try {
    await module.render(container, { rest, params }, ctx);
    // tests and assistive tools can tell a drawn page from one still waiting for its data
    container.dataset.loaded = 'true';
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      return;
    }
    if (ticket === renderCount) {
      container.append(el('p', { class: 'form-error page-error', role: 'alert', text: e.message }));
    }
  }
}

let sessionTimer = null;

function applySession(body) {
  session = body;
  setCsrfToken(body.csrfToken);
  clearTimeout(sessionTimer);
  const end = setSessionEnd(body.expiresAt);
  if (end !== null) {
    // setTimeout holds at most about 24 days
    sessionTimer = setTimeout(() => showLogin('Your session has ended. Please log in again.'),
      Math.min(Math.max(0, end - Date.now()), 2 ** 31 - 1));
  }
  topbar.hidden = false;
  document.body.classList.toggle('is-admin', body.role === 'admin');
  document.body.classList.toggle('is-viewer', body.role !== 'admin');
  document.getElementById('whoami').textContent = `${body.username} (${body.role})`;
}

function showLogin(message) {
  session = null;
  setCsrfToken(null);
  setSessionEnd(null);
  clearTimeout(sessionTimer);
  topbar.hidden = true;
  document.body.classList.remove('is-admin', 'is-viewer');
  const username = el('input', { name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = el('p', { class: 'form-error', role: 'alert', id: 'login-error', text: message || '' });
  const form = el('form', { class: 'login card', id: 'login-form' },
    el('h1', { text: 'ActiveDefense' }),
    el('p', { class: 'muted', text: 'Log in to the admin console.' }),
    field('User name', username, { field: 'username' }),
    field('Password', password, { field: 'password' }),
    error,
    el('button', { type: 'submit', class: 'primary', id: 'login-submit', text: 'Log in' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const body = await api('POST', '/api/session', { username: username.value, password: password.value },
        { quiet401: true });
      applySession(body);
      if (!location.hash || location.hash === '#/login') {
        location.hash = '#/dashboard';  // the hashchange draws it
      } else {
        route();
      }
    } catch (e) {
      error.textContent = e.status === 401 ? 'Wrong user name or password.' : e.message;
      showError(form, { message: error.textContent });
    } finally {
      submit.disabled = false;
    }
  });
  replace(main, el('section', { class: 'page page-login', dataset: { page: 'login' } }, form));
  username.focus();
}

async function logout() {
  try {
    await api('DELETE', '/api/session');
  } catch (e) {
    // the session may already be gone; the login page is the right place either way
  }
  // the next one to log in starts at the dashboard, not on the page the last one left open
  history.replaceState(null, '', location.pathname);
  showLogin('Logged out.');
}

async function start() {
  document.getElementById('logout').addEventListener('click', logout);
  const toggle = document.getElementById('menu-toggle');
  toggle.addEventListener('click', () => {
    const nav = document.getElementById('nav');
    nav.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(nav.classList.contains('open')));
  });
  onUnauthorized(() => showLogin('Your session has ended. Please log in again.'));
  window.addEventListener('hashchange', route);
  try {
    applySession(await api('GET', '/api/session', undefined, { quiet401: true }));
    route();
  } catch (e) {
    showLogin(e.status === 401 ? '' : e.message);
  }
}

start();
