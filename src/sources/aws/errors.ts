// Credential, auth and service failures turned into one sentence that says what to do. Raw SDK
// text is never shown as is: it can name a credential_process command line or carry a key id, so
// what is kept of it goes through redact() first.
import type { ProfileKind } from './profiles';

/** Why an AWS call failed, in a word the UI can branch on. */
export type AwsErrorKind =
  | 'sso-expired'
  | 'no-credentials'
  | 'no-profile'
  | 'assume-role-denied'
  | 'credential-process'
  | 'web-identity'
  | 'expired'
  | 'bad-credentials'
  | 'access-denied'
  | 'network'
  | 'invalid-request'
  | 'throttled'
  | 'service'
  | 'cancelled'
  | 'timeout'
  | 'other';

/** A failure with one clear sentence as its message; `kind` says which. Never carries a stack to show. */
export class AwsError extends Error {
  constructor(
    readonly kind: AwsErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AwsError';
  }
}

/** Removes what could be a credential from text: access key ids, secrets, session tokens, JSON credential fields. */
export function redact(text: string): string {
  return text
    .replace(/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '[key id]')
    .replace(
      /"(SecretAccessKey|SessionToken|AccessKeyId|accessToken|refreshToken|clientSecret)"\s*:\s*"[^"]*"/gi,
      '"$1":"[redacted]"',
    )
    .replace(/\b[A-Za-z0-9/+=]{100,}/g, '[token]')
    .replace(/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, '[secret]');
}

/** Who the failure happened to: the profile and its kind, or the SDK's default chain. */
export interface ErrorContext {
  readonly profile?: string;
  readonly kind?: ProfileKind;
  readonly roleArn?: string;
  readonly region?: string;
  readonly operation?: string;
}

const who = (c: ErrorContext) => (c.profile ? `profile ${c.profile}` : 'the default AWS credentials');
const login = (c: ErrorContext) => `aws sso login${c.profile ? ` --profile ${c.profile}` : ''}`;
const firstLine = (s: string) => redact(s.split('\n')[0]!.trim()).replace(/\.$/, '');

/** True for an abort (the user cancelled), however the SDK or Node spelled it. */
export function isAbort(e: unknown): boolean {
  return e instanceof Error ? e.name === 'AbortError' || (e as { code?: string }).code === 'ABORT_ERR' : false;
}

/** True when X-Ray (or the SDK after its retries) said: too many requests. */
export function isThrottle(e: unknown): boolean {
  const x = e as
    { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } } | undefined;
  return (
    !!x &&
    (x.$metadata?.httpStatusCode === 429 ||
      x.$retryable?.throttling === true ||
      /^(ThrottledException|ThrottlingException|Throttling|TooManyRequestsException|RequestLimitExceeded)$/.test(
        x.name ?? '',
      ))
  );
}

/** True for a failure that a later try may not have: 5xx, timeouts, connection resets. */
export function isTransient(e: unknown): boolean {
  const x = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!x || isAbort(e)) return false;
  const status = x.$metadata?.httpStatusCode ?? 0;
  return (
    status >= 500 ||
    /^(TimeoutError|RequestTimeout|RequestTimeoutException)$/.test(x.name ?? '') ||
    /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)$/.test(x.code ?? '')
  );
}

/** The one sentence for a failure to get or use credentials, or to call X-Ray with them. */
export function explainAwsError(e: unknown, c: ErrorContext = {}): AwsError {
  if (e instanceof AwsError) return e;
  const err = (e instanceof Error ? e : new Error(String(e))) as Error & {
    code?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    hostname?: string;
  };
  const msg = err.message ?? '';
  const name = err.name === 'Error' && err.code ? err.code : err.name;
  if (isAbort(err)) return new AwsError('cancelled', 'Cancelled.');

  // Credentials that were accepted once and have run out (X-Ray or STS said so).
  if (
    /^(ExpiredToken|ExpiredTokenException|TokenRefreshRequired|RequestExpired)$/.test(name) ||
    /security token included in the request is expired|token has expired/i.test(msg)
  ) {
    return new AwsError(
      'expired',
      c.kind === 'sso'
        ? `The credentials of ${who(c)} have expired: run \`${login(c)}\`, then try again.`
        : `The credentials of ${who(c)} have expired: refresh them (a new session token, \`${login(c)}\` for SSO), then try again.`,
    );
  }
  if (
    /SSO session|sso login|SSO Token|SSO token|sso_session|refresh.*token/i.test(msg) ||
    (c.kind === 'sso' && /token/i.test(msg))
  ) {
    return new AwsError(
      'sso-expired',
      `The SSO session of ${who(c)} has expired or was never started: run \`${login(c)}\`, then try again.`,
    );
  }
  // Credentials that cannot be had.
  if (
    /Profile .* not found|could not find profile|Could not resolve credentials using profile/i.test(msg) &&
    c.kind === undefined &&
    c.profile
  ) {
    return new AwsError(
      'no-profile',
      `There is no usable profile ${c.profile} in ~/.aws/config or ~/.aws/credentials: check the name, or create it with \`aws configure --profile ${c.profile}\` (access keys) or \`aws configure sso --profile ${c.profile}\`.`,
    );
  }
  if (
    /Could not resolve credentials using profile|Could not load credentials from any providers|Unable to find (a )?(valid )?credential|not contain credentials|Could not find credentials|no credentials/i.test(
      msg,
    ) ||
    (err.name === 'CredentialsProviderError' && c.kind === 'incomplete')
  ) {
    return new AwsError(
      'no-credentials',
      c.profile
        ? `Profile ${c.profile} has no credentials Trace Lens can use: add access keys with \`aws configure --profile ${c.profile}\`, or set it up for IAM Identity Center with \`aws configure sso --profile ${c.profile}\`.`
        : 'No AWS credentials were found: run `aws configure` (access keys) or `aws configure sso` (IAM Identity Center), or choose a profile.',
    );
  }
  if (
    /credential_process|Command failed|process.*(exit|fail)|returned invalid JSON|did not return/i.test(msg) ||
    (c.kind === 'credential-process' && err.name === 'CredentialsProviderError')
  ) {
    const why = /invalid JSON|did not return|Version/i.test(msg)
      ? 'printed something that is not the credential JSON (Version 1 with AccessKeyId and SecretAccessKey)'
      : /expired/i.test(msg)
        ? 'returned expired credentials'
        : 'failed';
    return new AwsError(
      'credential-process',
      `The credential_process of ${who(c)} ${why}: run that command in a terminal to see why, then try again.`,
    );
  }
  if (c.kind === 'web-identity' && (/web.?identity|token file|ENOENT|EACCES/i.test(msg) || err.code === 'ENOENT')) {
    return new AwsError(
      'web-identity',
      `The web identity token file of ${who(c)} cannot be read (${err.code ?? firstLine(msg)}): check web_identity_token_file, or AWS_WEB_IDENTITY_TOKEN_FILE.`,
    );
  }
  if (name === 'AccessDenied' && (c.kind === 'assume-role' || /AssumeRole/i.test(msg))) {
    return new AwsError(
      'assume-role-denied',
      `Profile ${c.profile ?? ''} could not assume ${c.roleArn ?? 'its role'}: its source identity is not allowed to (sts:AssumeRole was denied). Ask for the role's trust policy to allow it, or pick another profile.`.replace(
        'Profile  ',
        'The profile ',
      ),
    );
  }

  // Using them.
  if (
    /^(UnrecognizedClientException|InvalidClientTokenId|InvalidAccessKeyId)$/.test(name) ||
    /security token included in the request is invalid/i.test(msg)
  ) {
    return new AwsError(
      'bad-credentials',
      `AWS does not recognise the access key of ${who(c)} (deleted, deactivated, or from another partition): update it with \`aws configure${c.profile ? ` --profile ${c.profile}` : ''}\`.`,
    );
  }
  if (/^(SignatureDoesNotMatch|InvalidSignatureException)$/.test(name)) {
    return new AwsError(
      'bad-credentials',
      /Signature expired/i.test(msg)
        ? "AWS refused the request because this computer's clock is wrong: set the clock right (automatic time), then try again."
        : `The secret key of ${who(c)} does not match its access key: update it with \`aws configure${c.profile ? ` --profile ${c.profile}` : ''}\`.`,
    );
  }
  if (/^(AccessDenied|AccessDeniedException)$/.test(name) || err.$metadata?.httpStatusCode === 403) {
    return new AwsError(
      'access-denied',
      `${c.profile ? `Profile ${c.profile}` : 'These credentials'} may not read X-Ray${c.operation ? ` (xray:${c.operation} was denied)` : ''}: attach the AWSXrayReadOnlyAccess policy to its role or user, or pick another profile.`,
    );
  }
  if (
    /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(err.code ?? '') ||
    /getaddrinfo|connect ECONNREFUSED|socket hang up/i.test(msg)
  ) {
    return new AwsError(
      'network',
      `Could not reach AWS${err.hostname ? ` (${err.hostname})` : ''}${c.profile ? ` for profile ${c.profile}` : ''}: check the network, VPN or proxy${c.region ? ` and that region ${c.region} is right` : ''}.`,
    );
  }

  // The service's own answers.
  if (name === 'InvalidRequestException') return new AwsError('invalid-request', redact(msg));
  if (isThrottle(err))
    return new AwsError(
      'throttled',
      'X-Ray kept throttling the requests (too many per second for this account): try again in a minute, or lower the concurrency setting.',
    );
  if (isTransient(err))
    return new AwsError(
      'service',
      `X-Ray is failing (${name}${err.$metadata?.httpStatusCode ? `, HTTP ${err.$metadata.httpStatusCode}` : ''}) even after retries: try again in a minute.`,
    );
  return new AwsError(
    'other',
    `${c.operation ? `${c.operation} failed` : 'AWS call failed'}: ${name && name !== 'Error' ? `${name}: ` : ''}${firstLine(msg)}.`,
  );
}
