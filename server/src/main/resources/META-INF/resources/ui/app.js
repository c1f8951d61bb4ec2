// The console's shell: hash router, layout, navigation, organization and environment pickers, and the
// session, which lives in this page's memory only (a reload logs out). docs/CONSOLE.md.
import { api, orgPath, setToken, hasToken, setUnauthorizedHandler } from './api.js';
import { el, showProblem } from './components.js';
import { routes } from './pages/routes.js';
import { completeRedirect, hasRedirect } from './oidc.js';
import { forgetActors } from './people.js';

const state = {
  me: null,
  org: null,
  environments: [],
  env: 'dev',
  message: null,
  leaving: [],
  renderId: 0,
};

const main = document.getElementById('main');
const top = document.getElementById('top');

function parseHash() {
  const hash = location.hash || '';
  const q = hash.indexOf('?');
  const path = q >= 0 ? hash.slice(0, q) : hash;
  const params = Object.fromEntries(new URLSearchParams(q >= 0 ? hash.slice(q + 1) : ''));
  return { path, params };
}

export function navigate(hash) {
  if (location.hash === hash) {
    render();
  } else {
    location.hash = hash;
  }
}

function isAdmin() {
  return !!(state.org && state.org.role === 'admin');
}

function runLeaving() {
  const hooks = state.leaving;
  state.leaving = [];
  for (const hook of hooks) {
    try {
      hook();
    } catch (ignored) {
      // a page's clean-up never stops navigation
    }
  }
}

/** Forgets the token and everything learned with it; back to the login page with a message. */
export function logout(message) {
  runLeaving();
  setToken(null);
  forgetActors();
  state.me = null;
  state.org = null;
  state.environments = [];
  state.message = message || null;
  main.replaceChildren();
  navigate('#/login');
}

/** Called by the login page with a token (API key or access token): loads /me, picks an org. */
export async function startSession(token) {
  forgetActors();
  setToken(token);
  try {
    state.me = await api.get('/me', { login: true });
  } catch (e) {
    setToken(null);
    throw e;
  }
  const orgs = state.me.organizations || [];
  state.org = orgs[0] || null;
  await loadEnvironments();
  state.message = null;
  navigate('#/secrets');
}

async function loadEnvironments() {
  state.environments = [];
  if (!state.org) return;
  try {
    const list = await api.get(orgPath(state.org.id, 'environments'));
    state.environments = (list.environments || []).map((e) => e.name);
  } catch (e) {
    state.environments = ['dev', 'staging', 'prod'];
  }
  if (!state.environments.includes(state.env)) {
    state.env = state.environments[0] || 'dev';
  }
}

function renderHeader(current) {
  const children = [el('span', { class: 'brand' }, 'Crate')];
  if (hasToken() && state.me) {
    const visible = routes.filter((r) => r.nav !== false && !r.public && (!r.adminOnly || isAdmin()));
    children.push(
      el(
        'nav',
        { 'aria-label': 'Main' },
        el(
          'ul',
          {},
          visible.map((r) =>
            el('li', {}, el('a', { href: r.path, 'aria-current': current && current.path === r.path ? 'page' : null }, r.title)),
          ),
        ),
      ),
    );
    const orgSelect = el(
      'select',
      { id: 'org-picker', onchange: (e) => pickOrg(e.target.value) },
      (state.me.organizations || []).map((o) =>
        el('option', { value: o.id, selected: state.org && o.id === state.org.id }, o.name + ' (' + o.role + ')'),
      ),
    );
    const envSelect = el(
      'select',
      { id: 'env-picker', onchange: (e) => pickEnv(e.target.value) },
      state.environments.map((name) => el('option', { value: name, selected: name === state.env }, name)),
    );
    children.push(
      el(
        'div',
        { class: 'pickers' },
        el('label', { for: 'org-picker' }, 'Organization'),
        orgSelect,
        el('label', { for: 'env-picker' }, 'Environment'),
        envSelect,
      ),
    );
    children.push(
      el(
        'div',
        { class: 'who' },
        el('span', { class: 'me', title: state.me.subject }, state.me.name || state.me.email || state.me.subject),
        el('button', { type: 'button', class: 'secondary small', id: 'logout', onclick: () => logout('You are logged out.') }, 'Log out'),
      ),
    );
  }
  top.replaceChildren(...children);
}

async function pickOrg(id) {
  state.org = (state.me.organizations || []).find((o) => o.id === id) || null;
  await loadEnvironments();
  const { path } = parseHash();
  navigate(path === '#/secret' ? '#/secrets' : path || '#/secrets');
  render();
}

function pickEnv(name) {
  state.env = name;
  const { path } = parseHash();
  if (path === '#/secret') {
    navigate('#/secrets');
  } else {
    render();
  }
}

async function render() {
  const id = ++state.renderId;
  runLeaving();
  let { path, params } = parseHash();
  if (!hasToken()) {
    // Without a session every address shows the login page: say so in the address bar too.
    if (path !== '#/login') history.replaceState(null, '', location.pathname + '#/login');
    path = '#/login';
  } else if (!path || path === '#' || path === '#/' || path === '#/login') {
    path = '#/secrets';
    history.replaceState(null, '', location.pathname + path);
  }
  let route = routes.find((r) => r.path === path);
  if (!route || (route.adminOnly && !isAdmin())) {
    route = routes.find((r) => r.path === '#/secrets');
    params = {};
  }
  renderHeader(route);
  document.title = route.title + ' · Crate';
  main.replaceChildren(el('p', { class: 'loading' }, 'Loading…'));
  const ctx = {
    api,
    org: state.org,
    env: state.env,
    environments: state.environments.slice(),
    me: state.me,
    params,
    isAdmin: isAdmin(),
    navigate,
    onLeave: (fn) => state.leaving.push(fn),
    // After an admin adds an environment: the picker offers it at once.
    environmentsChanged: async () => {
      await loadEnvironments();
      if (id === state.renderId) renderHeader(route);
    },
    session: { startSession, message: state.message, logout },
  };
  try {
    const module = await route.load();
    if (id !== state.renderId) return;
    main.replaceChildren();
    await module.render(main, ctx);
  } catch (e) {
    if (id !== state.renderId) return;
    main.replaceChildren();
    showProblem(main, e);
  }
  if (id === state.renderId && document.activeElement === document.body) {
    main.focus({ preventScroll: true });
  }
}

setUnauthorizedHandler(() => {
  logout('Your session has expired or was revoked. Log in again.');
});

window.addEventListener('hashchange', () => {
  render();
});

async function start() {
  if (hasRedirect()) {
    try {
      const token = await completeRedirect();
      await startSession(token);
      return;
    } catch (e) {
      state.message = null;
      renderHeader(null);
      main.replaceChildren();
      const mod = await import('./pages/login.js');
      await mod.render(main, { api, navigate, params: {}, session: { startSession, message: null, logout }, onLeave: () => {} });
      showProblem(main, e);
      return;
    }
  }
  render();
}

start();
