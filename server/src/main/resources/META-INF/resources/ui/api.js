// The fetch wrapper of the console (docs/CONSOLE.md). The bearer token lives in this module's memory
// only: never in localStorage, sessionStorage, cookies or the URL.

/** A problem+json answer (docs/API.md, section 3), or a failure to reach the server. */
export class ProblemError extends Error {
  constructor({ status = 0, code = 'network_error', title = '', detail = '', requestId = '' } = {}) {
    super(detail || title || code);
    this.name = 'ProblemError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.requestId = requestId;
  }
}

let token = null;
let onUnauthorized = null;

/** Sets (or with null, forgets) the bearer token. */
export function setToken(value) {
  token = value || null;
}

export function hasToken() {
  return token !== null;
}

/**
 * Called with the ProblemError when an authenticated request answers 401 (not for the login's own
 * check, made with {login: true}).
 */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

async function problemFrom(response) {
  const requestId = response.headers.get('X-Request-Id') || '';
  let body = null;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : null;
  } catch (ignored) {
    body = null;
  }
  if (body && typeof body === 'object' && typeof body.code === 'string') {
    return new ProblemError({
      status: response.status,
      code: body.code,
      title: body.title || '',
      detail: body.detail || '',
      requestId: body.request_id || requestId,
    });
  }
  return new ProblemError({
    status: response.status,
    code: 'http_' + response.status,
    title: response.statusText || 'Request failed',
    detail: 'The server answered ' + response.status + ' without a problem document.',
    requestId,
  });
}

async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  if (token && !options.anonymous) {
    headers.Authorization = 'Bearer ' + token;
  }
  const init = { method, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ProblemError({
      status: 0,
      code: 'network_error',
      title: 'Server not reachable',
      detail: 'The request did not reach the server: check the connection and try again.',
    });
  }
  if (!response.ok) {
    const problem = await problemFrom(response);
    if (response.status === 401 && token && !options.anonymous && !options.login && onUnauthorized) {
      onUnauthorized(problem);
    }
    throw problem;
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const api = {
  get: (path, options) => request('GET', path, undefined, options),
  post: (path, body, options) => request('POST', path, body === undefined ? {} : body, options),
  put: (path, body, options) => request('PUT', path, body, options),
  patch: (path, body, options) => request('PATCH', path, body, options),
  del: (path, body, options) => request('DELETE', path, body, options),
};

/** The path of an organization's resource, every segment encoded. */
export function orgPath(orgId, ...segments) {
  return ['/organization', orgId, ...segments].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}

/**
 * GETs a body that is not JSON (the audit export) as a Blob, with the same Bearer header and
 * problem+json handling as every other call: the token never goes into a URL.
 */
export async function fetchBlob(path) {
  const headers = {};
  if (token) headers.Authorization = 'Bearer ' + token;
  let response;
  try {
    response = await fetch(path, { method: 'GET', headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (e) {
    throw new ProblemError({
      status: 0,
      code: 'network_error',
      title: 'Server not reachable',
      detail: 'The request did not reach the server: check the connection and try again.',
    });
  }
  if (!response.ok) {
    const problem = await problemFrom(response);
    if (response.status === 401 && token && onUnauthorized) onUnauthorized(problem);
    throw problem;
  }
  return response.blob();
}
