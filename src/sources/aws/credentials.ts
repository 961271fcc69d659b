// Credentials through the SDK's own providers (fromIni for a named profile, the default chain
// otherwise), so SSO, credential_process, assume-role and web identity work as they do for the
// AWS CLI. The files are re-read on every resolution: after `aws sso login` or an edit, a retry works.
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { explainAwsError, type ErrorContext } from './errors';
import { findProfile, loadSharedProfiles, profileKind } from './profiles';

/** A credential provider as the SDK's clients take it. */
export type CredentialProvider = ReturnType<typeof fromIni>;
/** Resolved credentials (never logged, stored or shown). */
export type Credentials = Awaited<ReturnType<CredentialProvider>>;

/** Which X-Ray to talk to, as whom. */
export interface AwsTarget {
  /** A profile of the shared files; undefined for the SDK's default chain (environment, AWS_PROFILE, SSO, instance roles). */
  readonly profile?: string;
  readonly region: string;
  /** Another X-Ray endpoint (the local X-Ray, a VPC endpoint); undefined for AWS's. */
  readonly endpoint?: string;
}

/** True for an endpoint on this machine, which needs no credentials (the local X-Ray). */
export function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** Credentials that sign requests to the local X-Ray, which checks none. */
export const localCredentials: Credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Keeps resolved credentials until five minutes before they expire; a failure is not kept, so a retry asks again. */
function memoize(provider: CredentialProvider): CredentialProvider {
  let pending: Promise<Credentials> | undefined;
  return () => {
    if (pending) return pending;
    const p = provider().then((c) => {
      if (c.expiration)
        setTimeout(
          () => {
            if (pending === p) pending = undefined;
          },
          Math.max(0, c.expiration.getTime() - Date.now() - 300_000),
        ).unref();
      return c;
    });
    pending = p;
    p.catch(() => {
      if (pending === p) pending = undefined;
    });
    return p;
  };
}

/** The provider for a target: the profile's, the default chain, or none needed for a local endpoint. */
export function credentialProvider(target: AwsTarget): CredentialProvider {
  if (!target.profile && isLoopback(target.endpoint)) return () => Promise.resolve(localCredentials);
  const clientConfig = { region: target.region };
  const base = target.profile
    ? fromIni({ profile: target.profile, ignoreCache: true, clientConfig })
    : fromNodeProviderChain({ ignoreCache: true, clientConfig });
  return memoize(base);
}

/**
 * Who to name in an error: the profile, its kind, the role it assumes, and the profile to run
 * `aws sso login` for (a role profile's SSO source, when it has one).
 */
export function errorContext(target: AwsTarget, env: NodeJS.ProcessEnv = process.env): ErrorContext {
  if (!target.profile) return { region: target.region };
  const p = findProfile(target.profile, env);
  if (!p) return { profile: target.profile, region: target.region };
  // Follow source_profile to the profile that holds the SSO login, so the advice names it.
  const { profiles } = loadSharedProfiles(env);
  let login = target.profile;
  const seen = new Set<string>();
  for (let at = profiles.get(login); at?.data.source_profile && !seen.has(login); at = profiles.get(login)) {
    seen.add(login);
    login = at.data.source_profile;
  }
  const loginData = profiles.get(login)?.data;
  const ssoSource = login !== target.profile && loginData && profileKind(loginData) === 'sso';
  return {
    profile: ssoSource ? login : target.profile,
    kind: ssoSource ? 'sso' : p.kind,
    roleArn: p.roleArn,
    region: target.region,
  };
}

/** Resolves the target's credentials now, turning any failure into one AwsError sentence. */
export async function checkCredentials(
  target: AwsTarget,
  provider = credentialProvider(target),
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials> {
  try {
    return await provider();
  } catch (e) {
    throw explainAwsError(e, errorContext(target, env));
  }
}
