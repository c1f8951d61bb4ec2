// Compiled against the TypeScript client generated from openapi.yaml, then run against a live
// server: proves the contract is usable as published, not only valid. The fields the spec marks
// required are used without optional chaining or non-null assertions, so that tsc fails here if
// the spec stops promising them. (`response` itself is optional in the client: absent when the
// request never got an answer.)
import { constants, publicEncrypt } from 'node:crypto';
import { client } from './client/client.gen';
import { createEnvironment, getAuthConfig, getMe, getPublicKey, listEnvironments, listOrganizations, listSecrets,
  storeSecret } from './client/sdk.gen';
import type { Environment, Me, Organization, Problem, PublicKeyResponse, SecretList, SecretMetadata }
  from './client/types.gen';

const baseUrl = process.env.CRATE_SERVER ?? 'http://127.0.0.1:8080';
const token = process.env.CRATE_TOKEN ?? '';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

async function main(): Promise<void> {
  client.setConfig({ baseUrl, auth: () => token });

  const config = await getAuthConfig();
  check(config.data, `getAuthConfig: ${config.response?.status}`);
  const oidc: boolean = config.data.oidc_enabled;

  const orgs = await listOrganizations();
  check(orgs.response?.status === 200 && orgs.data, `listOrganizations: ${orgs.response?.status}`);
  check(orgs.data.organizations.length > 0, 'listOrganizations: no organization');
  const org: Organization = orgs.data.organizations[0];
  const orgId: string = org.id;
  check(org.name.length > 0 && !Number.isNaN(Date.parse(org.created_at)), 'listOrganizations: name and created_at');

  const me = await getMe();
  const caller: Me | undefined = me.data;
  check(caller, `getMe: ${me.response?.status}`);
  check(caller.kind === 'api_key' && caller.subject.length > 0, 'getMe: kind and subject');
  check(caller.organizations.some((o) => o.id === orgId && o.role === 'admin'), 'getMe: the org, with role admin');

  const key = await getPublicKey({ path: { id: orgId } });
  const publicKey: PublicKeyResponse | undefined = key.data;
  check(publicKey, `getPublicKey: ${key.response?.status}`);
  check(publicKey.public_key_pem.startsWith('-----BEGIN PUBLIC KEY-----'), 'getPublicKey: no SPKI PEM');
  check(publicKey.algorithm === 'RSA-OAEP-256' && publicKey.kid.length > 0, 'getPublicKey: algorithm and kid');

  const created = await createEnvironment({ path: { id: orgId }, body: { name: 'sdk-check' } });
  check(created.response?.status === 201 && created.data, `createEnvironment: ${created.response?.status}`);
  const qa: Environment = created.data;
  check(qa.name === 'sdk-check' && qa.builtin === false, 'createEnvironment: name and builtin');
  const envs = await listEnvironments({ path: { id: orgId } });
  check(envs.data, `listEnvironments: ${envs.response?.status}`);
  const names: string[] = envs.data.environments.map((e) => e.name);
  check(['dev', 'staging', 'prod', 'sdk-check'].every((n) => names.includes(n)), `listEnvironments: ${names}`);

  const secrets = await listSecrets({ path: { id: orgId }, query: { env: 'dev' } });
  const list: SecretList | undefined = secrets.data;
  check(secrets.response?.status === 200 && list, `listSecrets: ${secrets.response?.status}`);
  const versions: number[] = list.secrets.map((s) => s.version);

  const denied = await listSecrets({ path: { id: orgId }, auth: () => 'crate_notAKey' });
  const problem = denied.error as Problem | undefined;
  check(denied.response?.status === 401 && problem?.code === 'unauthenticated' && problem.status === 401
    && problem.request_id, 'a refused call answers the documented Problem');

  // A value sealed as docs/API.md, section 6 says: raw RSA-OAEP-256 bound to its destination by the OAEP
  // label crate/v1/<org>/<env>/<name>. Replayed under another name, the server refuses it.
  const name = 'SDK_CHECK_BOUND';
  const sealedValue = publicEncrypt({
    key: publicKey.public_key_pem,
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: 'sha256',
    oaepLabel: Buffer.from(`crate/v1/${orgId}/dev/${name}`, 'utf8'),
  }, Buffer.from('sdk-check value', 'utf8')).toString('base64');
  const stored = await storeSecret({
    path: { id: orgId }, body: { name, environment: 'dev', encrypted_value: sealedValue, sealed: true },
  });
  const metadata: SecretMetadata | undefined = stored.data;
  check(stored.response?.status === 200 && metadata, `storeSecret: ${stored.response?.status}`);
  check(metadata.name === name && metadata.version >= 1, 'storeSecret: name and version');
  const replayed = await storeSecret({
    path: { id: orgId }, body: { name: 'SDK_CHECK_REPLAYED', environment: 'dev', encrypted_value: sealedValue, sealed: true },
  });
  const refused = replayed.error as Problem | undefined;
  check(replayed.response?.status === 400 && refused?.code === 'invalid_sealed_value',
    `storeSecret of a value bound to another name: ${replayed.response?.status} ${refused?.code}`);

  console.log(`sdk-check: getAuthConfig (oidc ${oidc}), listOrganizations, getMe, getPublicKey (kid ${publicKey.kid}), `
    + `createEnvironment, listEnvironments (${names.length}), listSecrets (${versions.length} secrets) `
    + 'a typed 401 Problem, a bound storeSecret and a refused replay all answered as documented');
}

main().catch((error: unknown) => {
  console.error(`sdk-check: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
