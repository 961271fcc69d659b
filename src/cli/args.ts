// Argument parsing for the CLI: flags with values, booleans, and positionals, with clear errors.

/** A usage mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/** Parsed arguments. */
export interface Parsed {
  readonly flags: Map<string, string>;
  readonly bools: Set<string>;
  readonly positionals: string[];
}

/** Parses argv against the flags a command takes (`value` flags take one value, `bool` flags none). */
export function parseArgs(
  argv: readonly string[],
  spec: { value: readonly string[]; bool: readonly string[] },
): Parsed {
  const flags = new Map<string, string>();
  const bools = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (spec.bool.includes(name)) {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      bools.add(name);
    } else if (spec.value.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { flags, bools, positionals };
}

/** Parses `15m`, `1h`, `6h`, `24h`, `7d`, `30s` (or plain seconds) into seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`'${text}' is not a duration: use forms like 30s, 15m, 6h, 7d`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return n * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[unit as 's']!;
}

/** Parses `HOST:PORT` (or `[v6]:PORT`, or a bare port on 127.0.0.1). */
export function parseHostPort(text: string, flag: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--${flag} takes HOST:PORT, for example 127.0.0.1:2000 (got '${text}')`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}
