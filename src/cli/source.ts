// Which trace source a reading command uses: the local store (the default), or AWS X-Ray through
// the user's profile, `--source aws [--profile P] [--region R] [--endpoint URL]`, with --db naming
// the cache of AWS traces instead of the local store.
import { AwsSource } from '../sources/aws/awsSource';
import type { AwsTarget } from '../sources/aws/credentials';
import { AwsError } from '../sources/aws/errors';
import { defaultProfileName, findProfile } from '../sources/aws/profiles';
import { environmentRegion } from '../sources/aws/regions';
import { UsageError, type Parsed } from './args';
import { CliError, type Io } from './io';

/** The value flags of the source choice. */
export const sourceValueFlags = ['source', 'profile', 'region', 'endpoint', 'max-scan'] as const;

/** Usage of the source flags. */
export const sourceUsage = `[--source local|aws] [--profile P] [--region R] [--endpoint URL] [--max-scan N]
  With --source aws, traces come from AWS X-Ray with the profile's credentials (default: the SDK's
  default chain) in --region, else the profile's region, else AWS_REGION; --db then names the cache file
  of AWS traces (default: one per account and region beside the store); --max-scan caps the traces
  X-Ray scans (and bills) for one listing (default 100000).`;

/** The source the flags chose. */
export type SourceChoice = { kind: 'local' } | { kind: 'aws'; target: AwsTarget; cachePath?: string; scanCap?: number };

/** Reads the source flags; the local store unless --source aws. */
export function sourceChoice(a: Parsed, env: NodeJS.ProcessEnv = process.env): SourceChoice {
  const source = a.flags.get('source') ?? 'local';
  if (source !== 'local' && source !== 'aws') throw new UsageError(`--source takes local or aws (got '${source}')`);
  if (source === 'local') {
    for (const f of ['profile', 'region', 'endpoint', 'max-scan'])
      if (a.flags.has(f)) throw new UsageError(`--${f} is for --source aws`);
    return { kind: 'local' };
  }
  const profile = a.flags.get('profile');
  const profileRegion = findProfile(profile ?? defaultProfileName(env), env)?.region;
  const region = a.flags.get('region') ?? profileRegion ?? environmentRegion(env);
  if (!region)
    throw new UsageError(
      `--source aws needs a region: --region R, a region in profile ${profile ?? defaultProfileName(env)}, or AWS_REGION`,
    );
  const endpoint = a.flags.get('endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint))
    throw new UsageError(`--endpoint takes a URL such as http://127.0.0.1:2000 (got '${endpoint}')`);
  let scanCap: number | undefined;
  if (a.flags.has('max-scan')) {
    scanCap = Number(a.flags.get('max-scan'));
    if (!Number.isInteger(scanCap) || scanCap < 0) throw new UsageError('--max-scan takes a whole number (0: no cap)');
  }
  return { kind: 'aws', target: { profile, region, endpoint }, cachePath: a.flags.get('db'), scanCap };
}

/** Opens AWS X-Ray for the command; a credential problem becomes its one-line CLI error. */
export async function openAwsSource(
  choice: Extract<SourceChoice, { kind: 'aws' }>,
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AwsSource> {
  try {
    return await AwsSource.open({
      target: choice.target,
      cachePath: choice.cachePath,
      scanCap: choice.scanCap,
      env,
      log: (level, m) => level === 'warn' && io.err(`${m}\n`),
    });
  } catch (e) {
    if (e instanceof AwsError) throw new CliError(e.message);
    throw e;
  }
}
