// The profiles in ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE), read the way the SDK reads them, so the picker offers exactly what
// the SDK's providers will accept. Only names, kinds and settings are kept: never a key.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How a profile gets its credentials, in the order the SDK tries them. */
export type ProfileKind =
  'assume-role' | 'static' | 'web-identity' | 'credential-process' | 'sso' | 'login' | 'incomplete';

/** One profile as the picker shows it. */
export interface AwsProfile {
  readonly name: string;
  readonly kind: ProfileKind;
  readonly region?: string;
  /** The account, when the files say it (sso_account_id, aws_account_id, or the role ARN's). */
  readonly accountId?: string;
  readonly ssoSession?: string;
  readonly ssoStartUrl?: string;
  readonly roleArn?: string;
  readonly sourceProfile?: string;
  readonly credentialSource?: string;
  /** The files it is defined in. */
  readonly files: readonly ('config' | 'credentials')[];
  /** What it is, in a few words for the picker (no secret ever). */
  readonly description: string;
}

/** Where the SDK reads the shared files, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
export function sharedFilePaths(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    config: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

/** The profile the SDK uses when none is named. */
export function defaultProfileName(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_PROFILE || 'default';
}

type Section = Record<string, string>;

/** Parses an INI file as the SDK does: sections, `key = value`, `#`/`;` comments, indented sub-keys as `parent.key`. */
export function parseIni(text: string): Map<string, Section> {
  const out = new Map<string, Section>();
  let current: Section | undefined;
  let sub: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split(/(^|\s)[;#]/)[0]!.trim();
    if (!line) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      const name = line.slice(1, -1).trim();
      current = out.get(name) ?? {};
      out.set(name, current);
      sub = undefined;
      continue;
    }
    const eq = raw.indexOf('=');
    if (!current || eq <= 0) continue;
    const key = raw.slice(0, eq).trim();
    const value = raw
      .slice(eq + 1)
      .split(/(^|\s)[;#]/)[0]!
      .trim();
    if (value === '') {
      sub = key;
      continue;
    }
    if (sub && raw.trimStart() === raw) sub = undefined;
    current[sub ? `${sub}.${key}` : key] = value;
  }
  return out;
}

function readIni(path: string): Map<string, Section> {
  try {
    return parseIni(readFileSync(path, 'utf8'));
  } catch {
    // A missing file is the common case (SSO users have no credentials file).
    return new Map();
  }
}

const sectionName = /^([\w-]+)\s+(["'])?([\w\-@+.%:/]+)\2$/;

/** The profiles and sso-sessions of the shared files, merged as the SDK merges them (credentials win). */
export function loadSharedProfiles(env: NodeJS.ProcessEnv = process.env): {
  profiles: Map<string, { data: Section; files: ('config' | 'credentials')[] }>;
  ssoSessions: Map<string, Section>;
} {
  const paths = sharedFilePaths(env);
  const profiles = new Map<string, { data: Section; files: ('config' | 'credentials')[] }>();
  const ssoSessions = new Map<string, Section>();
  for (const [name, data] of readIni(paths.config)) {
    const m = sectionName.exec(name);
    if (name === 'default' || m?.[1] === 'profile') {
      const p = m ? m[3]! : 'default';
      const prev = profiles.get(p);
      profiles.set(p, { data: { ...prev?.data, ...data }, files: ['config'] });
    } else if (m?.[1] === 'sso-session') ssoSessions.set(m[3]!, data);
  }
  for (const [name, data] of readIni(paths.credentials)) {
    const prev = profiles.get(name);
    profiles.set(name, {
      data: { ...prev?.data, ...data },
      files: prev ? [...prev.files, 'credentials'] : ['credentials'],
    });
  }
  return { profiles, ssoSessions };
}

/** The kind the SDK's fromIni resolves a profile as (its own order of checks). */
export function profileKind(d: Section): ProfileKind {
  if (d.role_arn && (d.source_profile !== undefined) !== (d.credential_source !== undefined)) return 'assume-role';
  if (d.aws_access_key_id && d.aws_secret_access_key) return 'static';
  if (d.web_identity_token_file && d.role_arn) return 'web-identity';
  if (d.credential_process) return 'credential-process';
  if (d.sso_start_url || d.sso_account_id || d.sso_session || d.sso_region || d.sso_role_name) return 'sso';
  if (d.login_session) return 'login';
  return 'incomplete';
}

const accountOfArn = (arn: string | undefined) =>
  arn ? /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] : undefined;

function describe(name: string, kind: ProfileKind, d: Section, sso?: Section): string {
  const account = d.sso_account_id ?? d.aws_account_id ?? accountOfArn(d.role_arn);
  const inAccount = account ? ` in ${account}` : '';
  switch (kind) {
    case 'sso':
      return `IAM Identity Center (SSO)${d.sso_role_name ? `, role ${d.sso_role_name}` : ''}${inAccount}${d.sso_session ? `, session ${d.sso_session}` : ''}${!d.sso_session && !d.sso_start_url && !sso ? ' (incomplete)' : ''}`;
    case 'assume-role':
      return `assumes ${d.role_arn!.split('/').pop()}${inAccount} via ${d.source_profile ? `profile ${d.source_profile}` : d.credential_source}`;
    case 'static':
      return `access keys${inAccount}${d.aws_session_token ? ' (with session token)' : ''}`;
    case 'web-identity':
      return `web identity, role ${d.role_arn!.split('/').pop()}${inAccount}`;
    case 'credential-process':
      return `credential_process${inAccount}`;
    case 'login':
      return `console login session${inAccount}`;
    case 'incomplete':
      return `no credentials configured in profile ${name}`;
  }
}

/** Every profile in the shared files, sorted by name with the default profile first. */
export function listProfiles(env: NodeJS.ProcessEnv = process.env): AwsProfile[] {
  const { profiles, ssoSessions } = loadSharedProfiles(env);
  const first = defaultProfileName(env);
  return [...profiles]
    .map(([name, { data: d, files }]): AwsProfile => {
      const kind = profileKind(d);
      const sso = d.sso_session ? ssoSessions.get(d.sso_session) : undefined;
      return {
        name,
        kind,
        region: d.region,
        accountId: d.sso_account_id ?? d.aws_account_id ?? accountOfArn(d.role_arn),
        ssoSession: d.sso_session,
        ssoStartUrl: d.sso_start_url ?? sso?.sso_start_url,
        roleArn: d.role_arn,
        sourceProfile: d.source_profile,
        credentialSource: d.credential_source,
        files,
        description: describe(name, kind, d, sso),
      };
    })
    .sort((a, b) => (a.name === first ? -1 : b.name === first ? 1 : a.name.localeCompare(b.name)));
}

/** One profile by name, or undefined. */
export function findProfile(name: string, env: NodeJS.ProcessEnv = process.env): AwsProfile | undefined {
  return listProfiles(env).find((p) => p.name === name);
}
