// OpenID Connect authorization code flow with PKCE for the console (docs/CONSOLE.md, section 4;
// docs/API.md, section 13). The access token stays in memory. Only the one-use PKCE verifier and
// state wait in sessionStorage during the trip to the identity provider, and are removed on return.
import { api, ProblemError } from './api.js';
import { pkce, randomId } from './crypto.js';

const PENDING = 'crate.oidc.pending';

export function redirectUri() {
  return location.origin + location.pathname.replace(/[^/]*$/, '');
}

/** The login configuration, or null when the server takes API keys only. */
export async function loginConfig() {
  const config = await api.get('/auth/config', { anonymous: true });
  if (!config || !config.oidc_enabled || !config.authorization_endpoint || !config.console_client_id) {
    return null;
  }
  return config;
}

export async function startLogin(config) {
  const { verifier, challenge } = await pkce();
  const stateValue = randomId();
  sessionStorage.setItem(
    PENDING,
    JSON.stringify({ state: stateValue, verifier, issuer: config.issuer, token_endpoint: config.token_endpoint, client_id: config.console_client_id }),
  );
  const url = new URL(config.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.console_client_id);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('scope', 'openid profile email');
  url.searchParams.set('state', stateValue);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  location.assign(url.toString());
}

export function hasRedirect() {
  const query = new URLSearchParams(location.search);
  return query.has('code') || query.has('error');
}

function failure(title, detail) {
  return new ProblemError({ status: 0, code: 'login_failed', title, detail });
}

/** Consumes ?code=&state= (removing them from the URL at once) and returns the access token. */
export async function completeRedirect() {
  const query = new URLSearchParams(location.search);
  history.replaceState(null, '', location.pathname + '#/login');
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (query.has('error')) {
    throw failure('The identity provider refused the login', query.get('error_description') || query.get('error'));
  }
  let pending = null;
  try {
    pending = raw ? JSON.parse(raw) : null;
  } catch (ignored) {
    pending = null;
  }
  if (!pending || pending.state !== query.get('state')) {
    throw failure('Login not completed', 'The answer from the identity provider does not belong to a login started here. Start again.');
  }
  if (query.has('iss') && query.get('iss') !== pending.issuer) {
    throw failure('Login not completed', 'The answer came from another issuer than the configured one.');
  }
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: query.get('code'),
    redirect_uri: redirectUri(),
    client_id: pending.client_id,
    code_verifier: pending.verifier,
  });
  let response;
  try {
    response = await fetch(pending.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form,
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw failure('Identity provider not reachable', 'The code could not be exchanged for a token.');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (ignored) {
    body = null;
  }
  if (!response.ok || !body || typeof body.access_token !== 'string') {
    throw failure('Login not completed', (body && (body.error_description || body.error)) || 'The identity provider answered ' + response.status + '.');
  }
  return body.access_token;
}
