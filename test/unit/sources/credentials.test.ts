// Profiles from a temporary AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, resolved by the SDK's
// own providers (no network: the SSO token cache is read before any call, STS answers from a
// stand-in on the loopback, and the rest are local processes and files): the listing, and the one
// sentence each failure becomes, never with a secret in it.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalXRay } from '../../../src/collector/localXRay';
import { AwsSource } from '../../../src/sources/aws/awsSource';
import { AwsError, explainAwsError, redact } from '../../../src/sources/aws/errors';
import { listProfiles, parseIni } from '../../../src/sources/aws/profiles';
import { regionChoices } from '../../../src/sources/aws/regions';
import { localXRayWith, spreadTraces, stopLocalXRay } from './awsFixtures';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const keyId = 'AKIAIOSFODNN7EXAMPLE';
const processSecret = 'procSecretprocSecretprocSecretprocSecret';

/** The STS stand-in: AssumeRole is denied, as STS answers an identity the role does not trust. */
function denyingSts(): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push(new URLSearchParams(body).get('Action') ?? '?');
      res.writeHead(403, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/ReadXRay</Message></Error><RequestId>1</RequestId></ErrorResponse>',
      );
    });
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls }),
    ),
  );
}

describe('AWS profiles and credential errors', function () {
  this.timeout(30_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const saved: Record<string, string | undefined> = {};
  const vars = [
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'HOME',
    'AWS_ENDPOINT_URL_STS',
    'AWS_PROFILE',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_EC2_METADATA_DISABLED',
  ];
  let sts: Awaited<ReturnType<typeof denyingSts>>;
  let xray: LocalXRay;
  let endpoint: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-profiles-'));
    const node = process.execPath;
    writeFileSync(
      join(dir, 'config'),
      `# a comment
[default]
region = eu-west-1

[profile sso-legacy]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = eu-central-1

[profile sso-new]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = XRayReader
region = us-west-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile role]
role_arn = arn:aws:iam::210987654321:role/ReadXRay
source_profile = static
region = ap-southeast-2

[profile role-via-sso]
role_arn = arn:aws:iam::210987654321:role/ReadXRay
source_profile = sso-new

[profile role-ec2]
role_arn = arn:aws:iam::210987654321:role/ReadXRay
credential_source = Ec2InstanceMetadata

[profile proc-failing]
credential_process = "${node}" -e "process.stderr.write('token ${secret}'); process.exit(3)"

[profile proc-bad-json]
credential_process = "${node}" -e "console.log('SecretAccessKey=${secret}')"

[profile proc-ok]
credential_process = "${node}" -e "console.log(JSON.stringify({Version:1,AccessKeyId:'ASIAPROCESSEXAMPLE01',SecretAccessKey:'${processSecret}',AccountId:'111122223333'}))"
region = us-east-2

[profile web]
role_arn = arn:aws:iam::210987654321:role/Web
web_identity_token_file = ${join(dir, 'no-such-token')}

[profile broken]
region = sa-east-1
s3 =
  addressing_style = path
`,
    );
    writeFileSync(
      join(dir, 'credentials'),
      `[static]
aws_access_key_id = ${keyId}
aws_secret_access_key = ${secret} ; trailing comment

[default]
aws_access_key_id = ${keyId}
aws_secret_access_key = ${secret}
`,
    );
    // The legacy SSO profile's token is in the cache, expired; the sso-session's is missing.
    const cache = join(dir, 'home', '.aws', 'sso', 'cache');
    mkdirSync(cache, { recursive: true });
    writeFileSync(
      join(cache, `${createHash('sha1').update('https://example.awsapps.com/start').digest('hex')}.json`),
      JSON.stringify({
        startUrl: 'https://example.awsapps.com/start',
        region: 'us-east-1',
        accessToken: 'expired-token',
        expiresAt: new Date(Date.now() - 3600_000).toISOString(),
      }),
    );
    sts = await denyingSts();
    for (const v of vars) saved[v] = process.env[v];
    for (const v of vars) delete process.env[v];
    Object.assign(process.env, {
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      HOME: join(dir, 'home'),
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    env = { ...process.env };
    ({ xray, endpoint } = await localXRayWith(
      join(dir, 'xray.db'),
      spreadTraces(5, Date.now() / 1000 - 3600, 600).docs,
    ));
  });
  after(async () => {
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    sts?.server.close();
    if (xray) await stopLocalXRay(xray);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every profile with its kind, region and account, the default first, and no secret', () => {
    const list = listProfiles(env);
    const by = Object.fromEntries(list.map((p) => [p.name, p]));
    assert.equal(list[0]!.name, 'default');
    assert.deepEqual(list.map((p) => p.name).slice(1), [
      'broken',
      'proc-bad-json',
      'proc-failing',
      'proc-ok',
      'role',
      'role-ec2',
      'role-via-sso',
      'sso-legacy',
      'sso-new',
      'static',
      'web',
    ]);
    assert.deepEqual(Object.fromEntries(list.map((p) => [p.name, p.kind])), {
      default: 'static',
      broken: 'incomplete',
      'proc-bad-json': 'credential-process',
      'proc-failing': 'credential-process',
      'proc-ok': 'credential-process',
      role: 'assume-role',
      'role-ec2': 'assume-role',
      'role-via-sso': 'assume-role',
      'sso-legacy': 'sso',
      'sso-new': 'sso',
      static: 'static',
      web: 'web-identity',
    });
    assert.equal(by.default!.region, 'eu-west-1');
    assert.deepEqual(by.default!.files, ['config', 'credentials']);
    assert.equal(by['sso-new']!.ssoStartUrl, 'https://corp.awsapps.com/start');
    assert.equal(by['sso-new']!.accountId, '123456789012');
    assert.equal(by.role!.accountId, '210987654321');
    assert.equal(by.role!.sourceProfile, 'static');
    assert.equal(by['role-ec2']!.credentialSource, 'Ec2InstanceMetadata');
    assert.match(
      by['sso-new']!.description,
      /IAM Identity Center \(SSO\), role XRayReader in 123456789012, session corp/,
    );
    assert.match(by.role!.description, /assumes ReadXRay in 210987654321 via profile static/);
    const text = JSON.stringify(list);
    assert.ok(!text.includes(secret) && !text.includes(keyId) && !text.includes(processSecret));
    assert.equal(by.broken!.region, 'sa-east-1');
  });

  it('parses INI as the SDK does: comments, sub-keys, quoted section names', () => {
    const ini = parseIni('[profile "a b"]\nx = 1 # note\n; gone = 2\ns3 =\n  style = path\ny=2\n');
    assert.deepEqual(Object.fromEntries(ini), { 'profile "a b"': { x: '1', 's3.style': 'path', y: '2' } });
    assert.deepEqual(
      regionChoices('eu-west-1')
        .slice(0, 2)
        .map((r) => r.code),
      ['eu-west-1', 'us-east-1'],
    );
    assert.equal(regionChoices('xx-test-1')[0]!.name, 'xx-test-1');
  });

  const failure = async (profile: string): Promise<AwsError> => {
    const e = await AwsSource.open({
      target: { profile, region: 'us-east-1', endpoint },
      cacheDir: join(dir, 'cache'),
      env,
    }).then(
      (s) => {
        s.dispose();
        throw new Error(`profile ${profile} opened`);
      },
      (x: unknown) => x,
    );
    assert.ok(e instanceof AwsError, `${profile}: ${String(e)}`);
    assert.doesNotMatch(e.message, /\n|\bat \w+ \(/, 'one line, no stack');
    for (const s of [secret, keyId, processSecret, 'process.exit', 'expired-token'])
      assert.ok(!e.message.includes(s), `${profile}: no secret in "${e.message}"`);
    return e;
  };

  it('an expired or missing SSO token says to run aws sso login --profile', async () => {
    const legacy = await failure('sso-legacy');
    assert.equal(legacy.kind, 'sso-expired');
    assert.match(legacy.message, /`aws sso login --profile sso-legacy`/);
    const missing = await failure('sso-new');
    assert.equal(missing.kind, 'sso-expired');
    assert.match(missing.message, /`aws sso login --profile sso-new`/);
    // A role profile whose source is SSO: the login is the source profile's.
    const chained = await failure('role-via-sso');
    assert.match(chained.message, /`aws sso login --profile sso-new`/);
  });

  it('an assume-role profile whose role is denied says so, with the role', async () => {
    const e = await failure('role');
    assert.equal(e.kind, 'assume-role-denied');
    assert.match(
      e.message,
      /^Profile role could not assume arn:aws:iam::210987654321:role\/ReadXRay: .*sts:AssumeRole was denied/,
    );
    assert.deepEqual(sts.calls, ['AssumeRole']);
  });

  it('a failing credential_process says to run it, without echoing it or its output', async () => {
    const failing = await failure('proc-failing');
    assert.equal(failing.kind, 'credential-process');
    assert.match(failing.message, /credential_process of profile proc-failing failed: run that command in a terminal/);
    const bad = await failure('proc-bad-json');
    assert.match(bad.message, /printed something that is not the credential JSON/);
  });

  it('a broken, unknown or web-identity profile says how to fix it', async () => {
    const broken = await failure('broken');
    assert.equal(broken.kind, 'no-credentials');
    assert.match(broken.message, /Profile broken has no credentials .* `aws configure --profile broken`/);
    const unknown = await failure('nope');
    assert.equal(unknown.kind, 'no-profile');
    assert.match(unknown.message, /no usable profile nope/);
    const web = await failure('web');
    assert.equal(web.kind, 'web-identity');
    assert.match(web.message, /web identity token file of profile web cannot be read \(ENOENT\)/);
  });

  it('a working credential_process reads X-Ray, its cache keyed by the account the process named', async () => {
    const s = await AwsSource.open({
      target: { profile: 'proc-ok', region: 'us-east-2', endpoint },
      cacheDir: join(dir, 'cache'),
      env,
    });
    try {
      assert.equal(s.account, '111122223333');
      assert.equal(s.label, 'AWS X-Ray (proc-ok, us-east-2)');
      const rows = await s.summaries({ start: new Date(Date.now() - 7200_000), end: new Date(), limit: 10 });
      assert.equal(rows.length, 5);
    } finally {
      s.dispose();
    }
  });

  it('explains what X-Ray says about credentials in one sentence each, and redacts keys', () => {
    const err = (name: string, message: string, status = 400) =>
      Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    assert.equal(
      explainAwsError(err('ExpiredTokenException', 'The security token included in the request is expired'), {
        profile: 'p',
        kind: 'sso',
      }).message,
      'The credentials of profile p have expired: run `aws sso login --profile p`, then try again.',
    );
    assert.equal(
      explainAwsError(err('UnrecognizedClientException', 'The security token included in the request is invalid.'), {
        profile: 'p',
      }).kind,
      'bad-credentials',
    );
    assert.match(
      explainAwsError(err('AccessDeniedException', `User ${keyId} is not authorized`, 403), {
        profile: 'p',
        operation: 'BatchGetTraces',
      }).message,
      /xray:BatchGetTraces was denied.*AWSXrayReadOnlyAccess/,
    );
    assert.match(
      explainAwsError(
        Object.assign(new Error('getaddrinfo ENOTFOUND xray.eu-west-1.amazonaws.com'), {
          code: 'ENOTFOUND',
          hostname: 'xray.eu-west-1.amazonaws.com',
        }),
        { region: 'eu-west-1' },
      ).message,
      /Could not reach AWS \(xray\.eu-west-1\.amazonaws\.com\)/,
    );
    assert.equal(
      explainAwsError(new Error('Could not load credentials from any providers')).message,
      'No AWS credentials were found: run `aws configure` (access keys) or `aws configure sso` (IAM Identity Center), or choose a profile.',
    );
    const other = explainAwsError(err('WeirdException', `bad key ${keyId} secret ${secret}`));
    assert.ok(!other.message.includes(keyId) && !other.message.includes(secret), other.message);
    assert.equal(
      redact(`{"SessionToken":"abc","AccessKeyId":"${keyId}"}`),
      '{"SessionToken":"[redacted]","AccessKeyId":"[redacted]"}',
    );
  });
});
