// `trace-lens collect`: the local X-Ray in the foreground until interrupted.
import { defaultPorts, LocalXRay, type ListenerState } from '../collector/localXRay';
import { parseArgs, parseHostPort } from './args';
import { CliError, openCliStore, type Io } from './io';

/** Usage of collect. */
export const collectUsage = `trace-lens collect [--udp HOST:PORT] [--api HOST:PORT] [--otlp HOST:PORT] [--db FILE]
                   [--max-age-hours N] [--max-mb N]
  Runs the local X-Ray until Ctrl-C: X-Ray daemon UDP (default 127.0.0.1:${defaultPorts.udp}), X-Ray API
  (default 127.0.0.1:${defaultPorts.api}), OTLP/HTTP (default 127.0.0.1:${defaultPorts.otlp}). Port 0 picks a free port;
  'off' turns a listener off. Retention defaults: 168 hours, 1024 MB.`;

const listen = (v: string | undefined, flag: string, port: number) =>
  v === 'off' ? false : v ? parseHostPort(v, flag) : { host: '127.0.0.1', port };

/** Runs collect; resolves when interrupted (or the signal aborts). */
export async function collect(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const a = parseArgs(argv, { value: ['udp', 'api', 'otlp', 'db', 'max-age-hours', 'max-mb'], bool: [] });
  const retention = {
    maxAgeHours: Number(a.flags.get('max-age-hours') ?? 168),
    maxMegabytes: Number(a.flags.get('max-mb') ?? 1024),
  };
  if (!Number.isFinite(retention.maxAgeHours) || !Number.isFinite(retention.maxMegabytes))
    throw new CliError('--max-age-hours and --max-mb take numbers');
  const store = openCliStore(a.flags.get('db'), io);
  let stored = 0;
  const xray = new LocalXRay(store, {
    udp: listen(a.flags.get('udp'), 'udp', defaultPorts.udp),
    api: listen(a.flags.get('api'), 'api', defaultPorts.api),
    otlp: listen(a.flags.get('otlp'), 'otlp', defaultPorts.otlp),
    log: (level, m) => (level === 'info' ? undefined : io.err(`${level}: ${m}\n`)),
    onStored: (_ids, n) => (stored += n),
  });
  const status = await xray.start();
  const line = (name: string, s: ListenerState) =>
    s.state === 'listening'
      ? `  ${name.padEnd(6)} ${s.address}:${s.port}`
      : s.state === 'failed'
        ? `  ${name.padEnd(6)} FAILED: ${s.message}`
        : `  ${name.padEnd(6)} off`;
  io.out(
    `local X-Ray, store ${store.path} (${store.traceCount()} traces)\n${line('udp', status.udp)}\n${line('api', status.api)}\n${line('otlp', status.otlp)}\n`,
  );
  if (![status.udp, status.api, status.otlp].some((s) => s.state === 'listening')) {
    store.close();
    throw new CliError('no listener could start');
  }
  const removed = store.applyRetention(retention);
  if (removed) io.out(`retention: removed ${removed} old traces\n`);
  let reported = 0;
  const tick = setInterval(() => {
    if (stored !== reported) {
      io.out(`stored ${stored} documents, ${store.traceCount()} traces in the store\n`);
      reported = stored;
    }
  }, 5000);
  const sweep = setInterval(() => store.applyRetention(retention), 60_000);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  clearInterval(tick);
  clearInterval(sweep);
  await xray.stop();
  store.close();
  io.out(`stopped; stored ${stored} documents this run\n`);
  return 0;
}
