// Sealing and opening in the browser with WebCrypto (docs/API.md, section 6; ARCHITECTURE.md,
// section 3.3). Values are sealed to the organization's transport key before they leave the page,
// and retrieved sealed to a temporary non-extractable P-256 key made for that one request.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The most raw RSA-OAEP-256 carries with a 3072-bit key; larger values go in a JWE. */
export const RAW_OAEP_MAX = 318;

/** The answer could not be opened: altered in transit, or not sealed to this page's key. */
export class OpenError extends Error {
  constructor(message) {
    super(message);
    this.name = 'OpenError';
  }
}

export function b64url(bytes) {
  let s = '';
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i++) s += String.fromCharCode(view[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function b64urlDecode(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new OpenError('not base64url');
  }
  let s = text.replace(/-/g, '+').replace(/_/g, '/');
  while (s.length % 4) s += '=';
  const raw = atob(s);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function b64(bytes) {
  let s = '';
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i++) s += String.fromCharCode(view[i]);
  return btoa(s);
}

function pemToDer(pem) {
  const body = pem.replace(/-----BEGIN PUBLIC KEY-----|-----END PUBLIC KEY-----|\s/g, '');
  const raw = atob(body);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Imports the org's public key ({public_key_pem, kid} from GET .../secrets/public-key). */
export async function importTransportKey({ public_key_pem: pem, kid }) {
  const key = await crypto.subtle.importKey('spki', pemToDer(pem), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, [
    'encrypt',
  ]);
  return { key, kid };
}

/**
 * The destination a value is sealed for (docs/API.md, section 6): the server refuses it anywhere else.
 * Raw RSA-OAEP carries it as the OAEP label `crate/v1/<org>/<env>/<name>`, a JWE as the protected-header
 * claims crate_org, crate_env and crate_name.
 */
export function oaepLabel({ org, env, name }) {
  return encoder.encode(`crate/v1/${org}/${env}/${name}`);
}

/**
 * Seals a value (a string) to the transport key for `destination` ({org, env, name}): base64
 * RSA-OAEP-256 with the destination's label when it fits, else a JWE RSA-OAEP-256 / A256GCM naming
 * the kid and the destination. The plaintext bytes are zeroed after use.
 */
export async function seal(transportKey, value, destination) {
  if (!destination || !destination.org || !destination.env || !destination.name) {
    throw new Error('seal needs the destination {org, env, name}');
  }
  const plain = encoder.encode(value);
  try {
    if (plain.length <= RAW_OAEP_MAX) {
      const sealed = await crypto.subtle.encrypt({ name: 'RSA-OAEP', label: oaepLabel(destination) }, transportKey.key, plain);
      return b64(sealed);
    }
    return await sealJwe(transportKey, plain, destination);
  } finally {
    plain.fill(0);
  }
}

/** JWE compact serialization, alg RSA-OAEP-256, enc A256GCM, bound to `destination` (docs/API.md, section 6 (b)). */
export async function sealJwe(transportKey, plain, { org, env, name }) {
  const header = b64url(
    encoder.encode(
      JSON.stringify({
        alg: 'RSA-OAEP-256',
        enc: 'A256GCM',
        kid: transportKey.kid,
        crate_org: org,
        crate_env: env,
        crate_name: name,
      }),
    ),
  );
  const cek = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  try {
    const aes = await crypto.subtle.importKey('raw', cek, { name: 'AES-GCM' }, false, ['encrypt']);
    const wrapped = await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, transportKey.key, cek);
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(header), tagLength: 128 }, aes, plain),
    );
    const ciphertext = sealed.slice(0, sealed.length - 16);
    const tag = sealed.slice(sealed.length - 16);
    return [header, b64url(wrapped), b64url(iv), b64url(ciphertext), b64url(tag)].join('.');
  } finally {
    cek.fill(0);
  }
}

/**
 * A temporary P-256 key pair for one retrieve: the private half is not extractable, the public half
 * goes to the server as a JWK.
 */
export async function temporaryKey() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } };
}

function lengthPrefixed(bytes) {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Opens a retrieve answer (ECDH-ES + A256GCM to the temporary key) and returns the parsed payload.
 * Any alteration fails the AES-GCM tag check: an OpenError, and nothing of the plaintext is kept.
 */
export async function openPayload(temporary, jwe) {
  const parts = typeof jwe === 'string' ? jwe.split('.') : [];
  if (parts.length !== 5 || parts[1] !== '') {
    throw new OpenError('not an ECDH-ES JWE');
  }
  let header;
  try {
    header = JSON.parse(decoder.decode(b64urlDecode(parts[0])));
  } catch (e) {
    throw new OpenError('unreadable JWE header');
  }
  if (header.alg !== 'ECDH-ES' || header.enc !== 'A256GCM' || !header.epk || header.epk.crv !== 'P-256') {
    throw new OpenError('unexpected JWE algorithms');
  }
  let plain;
  try {
    const epk = await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: header.epk.x, y: header.epk.y },
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      [],
    );
    const z = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: epk }, temporary.privateKey, 256));
    // Concat KDF (RFC 7518, section 4.6.2): one SHA-256 round gives the 256-bit content key.
    const otherInfo = concat(
      lengthPrefixed(encoder.encode('A256GCM')),
      lengthPrefixed(header.apu ? b64urlDecode(header.apu) : new Uint8Array(0)),
      lengthPrefixed(header.apv ? b64urlDecode(header.apv) : new Uint8Array(0)),
      new Uint8Array([0, 0, 1, 0]),
    );
    const derived = new Uint8Array(await crypto.subtle.digest('SHA-256', concat(new Uint8Array([0, 0, 0, 1]), z, otherInfo)));
    z.fill(0);
    const cek = await crypto.subtle.importKey('raw', derived, { name: 'AES-GCM' }, false, ['decrypt']);
    derived.fill(0);
    const iv = b64urlDecode(parts[2]);
    const ciphertext = b64urlDecode(parts[3]);
    const tag = b64urlDecode(parts[4]);
    if (iv.length !== 12 || tag.length !== 16) {
      throw new OpenError('bad JWE sizes');
    }
    plain = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(parts[0]), tagLength: 128 },
        cek,
        concat(ciphertext, tag),
      ),
    );
  } catch (e) {
    throw new OpenError('the sealed answer did not open');
  }
  try {
    return JSON.parse(decoder.decode(plain));
  } catch (e) {
    throw new OpenError('the opened answer is not JSON');
  } finally {
    plain.fill(0);
  }
}

/** PKCE (RFC 7636): a random verifier and its S256 challenge. */
export async function pkce() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', encoder.encode(verifier)));
  return { verifier, challenge };
}

export function randomId() {
  return b64url(crypto.getRandomValues(new Uint8Array(16)));
}
