// Compiled against the TypeScript client generated from openapi.yaml, then run against a live
// server: proves the contract is usable as published, not only valid.
import { client } from './client/client.gen';
import { getPublicKey, listOrganizations, listSecrets } from './client/sdk.gen';
import type { Problem, PublicKeyResponse, SecretList } from './client/types.gen';

const baseUrl = process.env.CRATE_SERVER ?? 'http://127.0.0.1:8080';
const token = process.env.CRATE_TOKEN ?? '';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

async function main(): Promise<void> {
  client.setConfig({ baseUrl, auth: () => token });

  const orgs = await listOrganizations();
  check(orgs.response?.status === 200 && orgs.data?.organizations?.length, `listOrganizations: ${orgs.response?.status}`);
  const orgId = orgs.data.organizations[0].id as string;

  const key = await getPublicKey({ path: { id: orgId } });
  const publicKey: PublicKeyResponse | undefined = key.data;
  check(publicKey, `getPublicKey: ${key.response?.status}`);
  check(publicKey.public_key_pem?.startsWith('-----BEGIN PUBLIC KEY-----'), 'getPublicKey: no SPKI PEM');
  check(publicKey.algorithm === 'RSA-OAEP-256' && publicKey.kid, 'getPublicKey: algorithm and kid');

  const secrets = await listSecrets({ path: { id: orgId }, query: { env: 'dev' } });
  const list: SecretList | undefined = secrets.data;
  check(secrets.response?.status === 200 && list?.secrets, `listSecrets: ${secrets.response?.status}`);

  const denied = await listSecrets({ path: { id: orgId }, auth: () => 'crate_notAKey' });
  const problem = denied.error as Problem | undefined;
  check(denied.response?.status === 401 && problem?.code === 'unauthenticated' && problem.request_id,
    'a refused call answers the documented Problem');

  console.log(`sdk-check: listOrganizations, getPublicKey (kid ${publicKey.kid}), listSecrets `
    + `(${list.secrets?.length} secrets) and a typed 401 Problem all answered as documented`);
}

main().catch((error: unknown) => {
  console.error(`sdk-check: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
