// Which account a target reads, to key its cache: from the credentials when the SDK knows it (SSO,
// assume-role, credential_process and aws_account_id set it), else from the profile's settings,
// else from STS GetCallerIdentity (free, and allowed to every identity).
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isLoopback, type AwsTarget, type CredentialProvider } from './credentials';
import { findProfile } from './profiles';

/** The account a local or other endpoint stands for when nothing names one. */
export function endpointAccount(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    return isLoopback(endpoint) ? 'local' : `endpoint-${u.host}`;
  } catch {
    return 'endpoint';
  }
}

/** The 12-digit account id (or `local`) the target's credentials belong to. */
export async function resolveAccount(
  target: AwsTarget,
  credentials: CredentialProvider,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<string> {
  const c = await credentials();
  if (c.accountId) return c.accountId;
  const fromFiles = target.profile ? findProfile(target.profile, env)?.accountId : undefined;
  if (fromFiles) return fromFiles;
  // The local X-Ray has no STS beside it, and stands for no account.
  if (isLoopback(target.endpoint)) return 'local';
  const sts = new STSClient({ region: target.region, credentials, maxAttempts: 2 });
  try {
    const r = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    if (!r.Account) throw new Error('STS GetCallerIdentity named no account');
    return r.Account;
  } catch (e) {
    // Another endpoint (a private X-Ray, a test double) may have no STS: key its cache by its address.
    if (target.endpoint && !signal?.aborted) return endpointAccount(target.endpoint);
    throw e;
  } finally {
    sts.destroy();
  }
}
