// A non-Java client of Crate's gRPC API: loads the .proto files with @grpc/proto-loader, calls the
// server with @grpc/grpc-js over h2c (or TLS with CRATE_GRPC_TLS=1), seals values with Node's own
// crypto (RSA-OAEP-256 to the organization's key, raw and as a JWE), retrieves them sealed to a
// temporary RSA key and to a temporary EC P-256 key, and opens both JWEs with Node's crypto.
//
//   CRATE_GRPC_TARGET=127.0.0.1:8080 CRATE_SERVER=http://127.0.0.1:8080 CRATE_TOKEN=crate_... \
//   CRATE_PROTO_DIR=server/src/main/proto node grpc-smoke.mjs
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = process.env.CRATE_GRPC_TARGET ?? '127.0.0.1:8080';
const server = process.env.CRATE_SERVER ?? `http://${target}`;
const token = process.env.CRATE_TOKEN ?? '';
const protoDir = process.env.CRATE_PROTO_DIR ?? path.resolve(here, '../../server/src/main/proto');

function check(condition, message) {
  if (!condition) {
    throw new Error(`grpc-node: ${message}`);
  }
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// ---- the API, from the same .proto files the server is built from
const definition = protoLoader.loadSync(
  ['crate/secrets/v1/secrets.proto', 'crate/secrets/v1/tags.proto', 'crate/secrets/v1/environments.proto'],
  { includeDirs: [protoDir], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const v1 = grpc.loadPackageDefinition(definition).crate.secrets.v1;
const credentials = process.env.CRATE_GRPC_TLS === '1' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
const secrets = new v1.SecretsService(target, credentials);
const tags = new v1.TagsService(target, credentials);

function metadata(bearer) {
  const md = new grpc.Metadata();
  if (bearer) {
    md.set('authorization', `Bearer ${bearer}`);
  }
  return md;
}

function call(client, method, request, bearer = token) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata(bearer), { deadline: Date.now() + 30_000 }, (err, response) => {
      if (err) {
        reject(err);
      } else {
        resolve(response);
      }
    });
  });
}

async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('grpc-node: the call succeeded; a failure was expected');
}

// ---- google.rpc.Status / ErrorInfo from grpc-status-details-bin, read with a few lines of protobuf
function fields(buf) {
  const out = [];
  let i = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = buf[i++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      out.push([number, varint()]);
    } else if (wire === 2) {
      const length = varint();
      out.push([number, buf.subarray(i, i + length)]);
      i += length;
    } else {
      throw new Error(`grpc-node: unexpected wire type ${wire}`);
    }
  }
  return out;
}

function errorInfo(err) {
  const [bin] = err.metadata?.get('grpc-status-details-bin') ?? [];
  check(bin, 'a failed call carries google.rpc.Status details');
  for (const [number, any] of fields(Buffer.from(bin))) {
    if (number !== 3) continue; // Status.details
    const parts = Object.fromEntries(fields(any)); // Any: 1 type_url, 2 value
    if (parts[1].toString() === 'type.googleapis.com/google.rpc.ErrorInfo') {
      const info = Object.fromEntries(fields(parts[2]).filter(([n]) => n !== 3).map(([n, v]) => [n, v.toString()]));
      return { reason: info[1], domain: info[2] };
    }
  }
  throw new Error('grpc-node: no google.rpc.ErrorInfo in the status details');
}

// ---- sealing to the organization's key, with Node's crypto only, bound to the destination
// (docs/API.md, section 6): raw RSA-OAEP with the label crate/v1/<org>/<env>/<name>, a JWE with the
// crate_org, crate_env and crate_name protected-header claims.
function sealRaw(pem, { org, env, name }, value) {
  return crypto.publicEncrypt({
    key: pem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256',
    oaepLabel: Buffer.from(`crate/v1/${org}/${env}/${name}`, 'utf8'),
  }, Buffer.from(value, 'utf8')).toString('base64');
}

function sealJwe(pem, kid, { org, env, name }, value) {
  const header = b64url(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid, crate_org: org, crate_env: env, crate_name: name }));
  const cek = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const encryptedKey = crypto.publicEncrypt({ key: pem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
  const cipher = crypto.createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(value, 'utf8')), cipher.final()]);
  return [header, b64url(encryptedKey), b64url(iv), b64url(ciphertext), b64url(cipher.getAuthTag())].join('.');
}

// ---- opening the retrieve answer (a JWE to a temporary key)
function concatKdf(z, enc, apu, apv) {
  const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
  const prefixed = (buf) => Buffer.concat([u32(buf.length), buf]);
  return crypto.createHash('sha256')
    .update(Buffer.concat([u32(1), z, prefixed(Buffer.from(enc, 'ascii')), prefixed(apu), prefixed(apv), u32(256)]))
    .digest();
}

function openJwe(compact, privateKey) {
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = compact.split('.');
  const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8'));
  check(header.enc === 'A256GCM', `unexpected enc ${header.enc}`);
  let cek;
  if (header.alg === 'RSA-OAEP-256') {
    cek = crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(encryptedKey, 'base64url'));
  } else if (header.alg === 'ECDH-ES') {
    const epk = crypto.createPublicKey({ key: header.epk, format: 'jwk' });
    const z = crypto.diffieHellman({ privateKey, publicKey: epk });
    cek = concatKdf(z, header.enc, Buffer.from(header.apu ?? '', 'base64url'), Buffer.from(header.apv ?? '', 'base64url'));
  } else {
    throw new Error(`grpc-node: unexpected alg ${header.alg}`);
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', cek, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(protectedHeader, 'ascii'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  return JSON.parse(plaintext.toString('utf8'));
}

// ---- server reflection, as generic tools (grpcurl, Postman) use it: grpc.reflection.v1 by hand
function reflect(request) {
  const client = new grpc.Client(target, credentials);
  return new Promise((resolve, reject) => {
    const responses = [];
    const call = client.makeBidiStreamRequest('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      (buf) => buf, (buf) => buf, new grpc.Metadata(), { deadline: Date.now() + 30_000 });
    call.on('data', (buf) => responses.push(buf));
    call.on('error', reject);
    call.on('end', () => {
      client.close();
      resolve(responses);
    });
    call.write(request);
    call.end();
  });
}

const stringField = (number, text) => {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([number * 8 + 2, bytes.length]), bytes]);
};

async function reflectedServices() {
  // ServerReflectionRequest.list_services = 7
  const [response] = await reflect(stringField(7, ''));
  const list = fields(response).find(([n]) => n === 6)[1]; // ListServiceResponse
  return fields(list).map(([, service]) => fields(service).find(([n]) => n === 1)[1].toString());
}

async function reflectedFiles(symbol) {
  // ServerReflectionRequest.file_containing_symbol = 4
  const [response] = await reflect(stringField(4, symbol));
  const files = fields(response).find(([n]) => n === 4)[1]; // FileDescriptorResponse
  return fields(files).map(([, file]) => fields(file).find(([n]) => n === 1)[1].toString());
}

// google.protobuf.Struct as @grpc/proto-loader expects it
function struct(object) {
  const value = (v) => (typeof v === 'string' ? { stringValue: v } : typeof v === 'number' ? { numberValue: v }
    : typeof v === 'boolean' ? { boolValue: v } : Array.isArray(v) ? { listValue: { values: v.map(value) } }
      : { structValue: struct(v) });
  return { fields: Object.fromEntries(Object.entries(object).map(([k, v]) => [k, value(v)])) };
}

async function main() {
  const started = Date.now();
  // The one REST call: which org the token belongs to (the gRPC API is org-scoped, like REST's paths).
  const orgs = await fetch(`${server}/organizations`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
  const orgId = orgs.organizations[0].id;

  const services = await reflectedServices();
  check(['SecretsService', 'TagsService', 'EnvironmentsService'].every((s) => services.includes(`crate.secrets.v1.${s}`)),
    `reflection lists the Crate services (got ${services.join(', ')})`);
  const files = await reflectedFiles('crate.secrets.v1.SecretsService');
  check(files.includes('crate/secrets/v1/secrets.proto'), `reflection serves secrets.proto (got ${files.join(', ')})`);

  const key = await call(secrets, 'GetPublicKey', { organization_id: orgId });
  check(key.public_key_pem.startsWith('-----BEGIN PUBLIC KEY-----') && key.kid && key.algorithm === 'RSA-OAEP-256',
    'GetPublicKey answers an SPKI PEM, a kid and RSA-OAEP-256');

  const suffix = crypto.randomBytes(4).toString('hex').toUpperCase();
  const rawName = `NODE_RAW_${suffix}`;
  const jweName = `NODE_JWE_${suffix}`;
  const rawValue = `node raw value ${crypto.randomUUID()}`;
  const jweValue = `node jwe value ünïcödé ${'x'.repeat(2000)} ${crypto.randomUUID()}`;
  const rawDest = { org: orgId, env: 'dev', name: rawName };
  const jweDest = { org: orgId, env: 'dev', name: jweName };
  const storedRaw = await call(secrets, 'StoreSecret', {
    organization_id: orgId, name: rawName, environment: 'dev', encrypted_value: sealRaw(key.public_key_pem, rawDest, rawValue),
    sealed: true, tags: { names: ['node', 'smoke'] },
  });
  check(storedRaw.version === 1 && storedRaw.tags.join() === 'node,smoke', 'StoreSecret (raw RSA-OAEP) answers version 1 with tags');
  const storedJwe = await call(secrets, 'StoreSecret', {
    organization_id: orgId, name: jweName, environment: 'dev', encrypted_value: sealJwe(key.public_key_pem, key.kid, jweDest, jweValue),
    sealed: true, tags: { names: ['node'] },
  });
  check(storedJwe.version === 1, 'StoreSecret (JWE) answers version 1');
  const replayed = await failure(call(secrets, 'StoreSecret', {
    organization_id: orgId, name: rawName, environment: 'dev', sealed: true,
    encrypted_value: sealJwe(key.public_key_pem, key.kid, jweDest, 'replayed'),
  }));
  check(replayed.code === grpc.status.INVALID_ARGUMENT && errorInfo(replayed).reason === 'sealed_value_mismatch',
    `a value sealed for another name is INVALID_ARGUMENT sealed_value_mismatch (got ${replayed.code} ${errorInfo(replayed).reason})`);
  const again = await call(secrets, 'StoreSecret', {
    organization_id: orgId, name: rawName, environment: 'dev', encrypted_value: sealRaw(key.public_key_pem, rawDest, rawValue), sealed: true,
  });
  check(again.version === 2 && again.tags.join() === 'node,smoke', 'a second store is version 2 and keeps the tags');

  const history = await call(secrets, 'ListSecretVersions', { organization_id: orgId, name: rawName, environment: 'dev' });
  check(history.name === rawName && history.current_version === 2 && !history.deleted && !history.purged
    && history.versions.map((v) => v.version).join() === '2,1'
    && history.versions.every((v) => v.created_by.includes(':') && Number(v.created_at.seconds) > 0 && !v.destroyed
      && v.tags.join() === 'node,smoke'),
  `ListSecretVersions lists versions 2 and 1, newest first, with who and when (got ${JSON.stringify(history)})`);
  const stale = await failure(call(secrets, 'StoreSecret', {
    organization_id: orgId, name: rawName, environment: 'dev', encrypted_value: sealRaw(key.public_key_pem, rawDest, 'stale'),
    sealed: true, expected_version: 1,
  }));
  check(stale.code === grpc.status.ABORTED && errorInfo(stale).reason === 'version_conflict',
    `a store with a stale expected_version is ABORTED version_conflict (got ${stale.code} ${errorInfo(stale).reason})`);

  const listed = await call(secrets, 'ListSecrets', { organization_id: orgId, environment: 'dev', tags: ['node', 'smoke'] });
  check(listed.secrets.map((s) => s.name).join() === rawName, 'ListSecrets filters by all tags');

  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const viaRsa = await call(secrets, 'RetrieveSecrets', {
    organization_id: orgId, environment: 'dev', names: { names: [rawName, jweName, 'NODE_MISSING'] },
    client_public_key_pem: rsa.publicKey.export({ type: 'spki', format: 'pem' }),
  });
  const rsaPayload = openJwe(viaRsa.sealed_payload, rsa.privateKey);
  const byName = Object.fromEntries(rsaPayload.secrets.map((s) => [s.name, s.value]));
  check(byName[rawName] === rawValue && byName[jweName] === jweValue, 'RetrieveSecrets (RSA) returns the stored values');
  check(rsaPayload.missing.join() === 'NODE_MISSING', 'RetrieveSecrets names the missing secret');

  const pinned = openJwe((await call(secrets, 'RetrieveSecrets', {
    organization_id: orgId, environment: 'dev', versions: { [rawName]: 1 },
    client_public_key_pem: rsa.publicKey.export({ type: 'spki', format: 'pem' }),
  })).sealed_payload, rsa.privateKey);
  check(pinned.secrets.length === 1 && pinned.secrets[0].name === rawName && pinned.secrets[0].version === 1,
    'RetrieveSecrets with versions pins version 1');
  const none = openJwe((await call(secrets, 'RetrieveSecrets', {
    organization_id: orgId, environment: 'dev', names: { names: [] },
    client_public_key_pem: rsa.publicKey.export({ type: 'spki', format: 'pem' }),
  })).sealed_payload, rsa.privateKey);
  check(none.secrets.length === 0 && none.missing.length === 0, 'RetrieveSecrets with an empty names list retrieves nothing');

  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const viaEc = await call(secrets, 'RetrieveSecrets', {
    organization_id: orgId, environment: 'dev', tags: ['node'],
    client_public_jwk: struct(ec.publicKey.export({ format: 'jwk' })),
  });
  const ecPayload = openJwe(viaEc.sealed_payload, ec.privateKey);
  check(ecPayload.secrets.length === 2 && ecPayload.secrets.every((s) => s.value === (s.name === rawName ? rawValue : jweValue)),
    'RetrieveSecrets (EC P-256 JWK, ECDH-ES) returns the stored values');

  // without names the answer is a page: limit 1 walks the two secrets by next, which is empty at the end
  const paged = [];
  let after = '';
  for (let page = 0; page < 3; page++) {
    const answer = await call(secrets, 'RetrieveSecrets', {
      organization_id: orgId, environment: 'dev', tags: ['node'], limit: 1, after,
      client_public_jwk: struct(ec.publicKey.export({ format: 'jwk' })),
    });
    paged.push(...openJwe(answer.sealed_payload, ec.privateKey).secrets.map((s) => s.name));
    after = answer.next;
    if (!after) break;
  }
  check(!after && paged.join() === [rawName, jweName].sort().join(),
    `RetrieveSecrets with limit 1 pages through both secrets by next (got ${paged.join()})`);

  const bad = await failure(call(secrets, 'StoreSecret', {
    organization_id: orgId, name: '1NOT_A_NAME', encrypted_value: sealRaw(key.public_key_pem, { org: orgId, env: 'dev', name: '1NOT_A_NAME' }, 'x'), sealed: true,
  }));
  const badInfo = errorInfo(bad);
  check(bad.code === grpc.status.INVALID_ARGUMENT && badInfo.reason === 'invalid_name' && badInfo.domain === 'crate.dev',
    `a bad name is INVALID_ARGUMENT with ErrorInfo invalid_name (got ${bad.code} ${badInfo.reason})`);
  const anonymous = await failure(call(secrets, 'ListSecrets', { organization_id: orgId }, null));
  check(anonymous.code === grpc.status.UNAUTHENTICATED && errorInfo(anonymous).reason === 'unauthenticated',
    'a call without a token is UNAUTHENTICATED');
  const elsewhere = await failure(call(secrets, 'ListSecrets', { organization_id: crypto.randomUUID() }));
  check(elsewhere.code === grpc.status.NOT_FOUND && errorInfo(elsewhere).reason === 'organization_not_found',
    'another organization is NOT_FOUND');

  const tagList = await call(tags, 'ListTags', { organization_id: orgId });
  check(tagList.tags.some((t) => t.name === 'smoke'), 'ListTags shows the tags the stores created');

  for (const name of [rawName, jweName]) {
    await call(secrets, 'DeleteSecret', { organization_id: orgId, name, environment: 'dev' });
  }
  const afterDelete = await call(secrets, 'ListSecrets', { organization_id: orgId, tags: ['node'] });
  check(afterDelete.secrets.length === 0, 'DeleteSecret removes the secrets from the list');

  secrets.close();
  tags.close();
  console.log(`grpc-node: reflection, GetPublicKey, StoreSecret (raw OAEP and JWE, stale expected_version), ListSecrets, `
    + `ListSecretVersions, RetrieveSecrets (RSA and EC keys, pinned version, empty names, pages), error details, UNAUTHENTICATED, NOT_FOUND, ListTags and DeleteSecret answered as documented in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
