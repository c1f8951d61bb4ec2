// Secrets operations with sealing in the browser (docs/CONSOLE.md, section 3): every value is sealed
// before it is sent and opened only here, from a JWE sealed to a key made for that one request.
import { orgPath } from './api.js';
import { importTransportKey, openPayload, seal, temporaryKey, OpenError } from './crypto.js';

/** How long a revealed value stays on screen. */
export const HIDE_AFTER_MS = 30000;

export const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const TAG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** "a, b c" -> ['a', 'b', 'c'] (deduplicated, order kept); throws on an invalid tag. */
export function parseTags(text) {
  const tags = [];
  for (const item of (text || '').split(/[\s,]+/)) {
    if (!item) continue;
    if (!TAG.test(item)) {
      throw Object.assign(new Error('"' + item + '" is not a valid tag: lower-case letters, digits, "-" and "_", starting with a letter or digit.'), {
        code: 'invalid_tag',
        title: 'Invalid tag',
      });
    }
    if (!tags.includes(item)) tags.push(item);
  }
  return tags;
}

/** The org's transport key, imported for sealing (fetched each time a form is sent: keys rotate). */
export async function transportKey(ctx) {
  return importTransportKey(await ctx.api.get(orgPath(ctx.org.id, 'secrets', 'public-key')));
}

/** Names one retrieve asks for at most (the server's page bound is never lower; docs/API.md, section 5). */
export const NAMES_PER_REQUEST = 100;

/**
 * Values of the given names (or of specific versions: {NAME: 3}), opened in the browser; without
 * names, every secret of the environment, page after page until an answer has no `next`. More names
 * than one request holds are asked for in parts. Returns {values: Map(name -> {value, version, tags}),
 * missing: [...]}; throws OpenError when a sealed answer does not open (nothing is returned then).
 */
export async function reveal(ctx, names, versions) {
  const key = await temporaryKey();
  const values = new Map();
  const missing = [];
  const ask = async (body) => {
    const answer = await ctx.api.post(orgPath(ctx.org.id, 'secrets', 'retrieve'),
      { environment: ctx.env, client_public_jwk: key.publicJwk, ...body });
    const payload = await openPayload(key, answer && answer.sealed_payload);
    for (const s of payload.secrets || []) {
      values.set(s.name, { value: s.value, version: s.version, tags: s.tags || [] });
    }
    missing.push(...(payload.missing || []));
    return answer && answer.next;
  };
  if (names && names.length > NAMES_PER_REQUEST) {
    for (let from = 0; from < names.length; from += NAMES_PER_REQUEST) {
      const part = names.slice(from, from + NAMES_PER_REQUEST);
      const pinned = versions ? Object.fromEntries(part.filter((n) => n in versions).map((n) => [n, versions[n]])) : null;
      await ask(pinned && Object.keys(pinned).length ? { names: part, versions: pinned } : { names: part });
    }
  } else if (names || versions) {
    const body = {};
    if (names) body.names = names;
    if (versions) body.versions = versions;
    await ask(body);
  } else {
    let next = await ask({});
    while (next) {
      const after = next;
      next = await ask({ after });
      // names grow page by page; an answer that says otherwise would loop forever
      if (next && next <= after) throw new OpenError('pages out of order');
    }
  }
  return { values, missing };
}

/** Seals the value here and stores it; answers the new metadata. */
export async function store(ctx, { name, value, tags, expectedVersion, key }) {
  const transport = key || (await transportKey(ctx));
  const destination = { org: ctx.org.id, env: ctx.env, name };
  const body = { name, environment: ctx.env, encrypted_value: await seal(transport, value, destination), sealed: true };
  if (tags) body.tags = tags;
  if (expectedVersion !== undefined && expectedVersion !== null) body.expected_version = expectedVersion;
  return ctx.api.put(orgPath(ctx.org.id, 'secrets'), body);
}

/** The problem shown when a sealed answer does not open. */
export function openFailure() {
  return {
    code: 'sealed_answer_not_opened',
    title: 'The sealed answer could not be opened',
    detail:
      'The values were altered on the way or were not sealed to this browser’s key. No value is shown. ' +
      'Try again; if it happens again, something between this browser and the server changes the answers.',
  };
}

export function isOpenError(e) {
  return e instanceof OpenError;
}

/**
 * Parses a .env text: NAME=value lines, '#' comments, an optional 'export ', values in double quotes
 * (with \n, \t, \", \\ escapes) or single quotes (literal). Returns {entries: [{line, name, value}], errors: [{line, text}]}.
 */
export function parseDotenv(text) {
  const entries = [];
  const errors = [];
  const lines = (text || '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const m = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(trimmed);
    if (!m) {
      errors.push({ line, text: 'line ' + line + ': expected NAME=value' });
      return;
    }
    const name = m[1];
    let value = m[2];
    if (!NAME.test(name)) {
      errors.push({ line, text: 'line ' + line + ': "' + name + '" is not a valid secret name' });
      return;
    }
    if (value.startsWith('"')) {
      const end = value.lastIndexOf('"');
      if (end <= 0) {
        errors.push({ line, text: 'line ' + line + ': unterminated double quote' });
        return;
      }
      value = value.slice(1, end).replace(/\\(.)/g, (all, c) => ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' })[c] ?? all);
    } else if (value.startsWith("'")) {
      const end = value.lastIndexOf("'");
      if (end <= 0) {
        errors.push({ line, text: 'line ' + line + ': unterminated single quote' });
        return;
      }
      value = value.slice(1, end);
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    if (!value) {
      errors.push({ line, text: 'line ' + line + ': ' + name + ' has an empty value' });
      return;
    }
    entries.push({ line, name, value });
  });
  return { entries, errors };
}
