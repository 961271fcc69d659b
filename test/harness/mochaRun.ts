// Runs mocha suites programmatically with one small reporter, in plain Node and inside the VS Code
// extension host alike, and returns the counts the harness adds up for its closing line.
import Mocha from 'mocha';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a layer's run counted. */
export interface MochaResult {
  passed: number;
  failed: number;
  pending: number;
}

/** The *.test.js files under dir, sorted. */
export function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

/** Runs the files; every line goes through write, already formatted (no %s placeholders). */
export function runMocha(
  files: string[],
  opts: { timeout?: number; grep?: string; write: (line: string) => void },
): Promise<MochaResult> {
  // Our own lines replace mocha's reporter, whose console lines arrive unformatted from the host.
  const mocha = new Mocha({
    timeout: opts.timeout ?? 10_000,
    color: false,
    reporter: class Silent {} as unknown as string,
  });
  if (opts.grep) mocha.grep(opts.grep);
  for (const f of files) mocha.addFile(f);
  const result: MochaResult = { passed: 0, failed: 0, pending: 0 };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run();
      let depth = 0;
      const pad = () => '  '.repeat(depth);
      runner.on('suite', (s) => {
        if (s.title) opts.write(`${pad()}${s.title}`);
        if (s.title) depth++;
      });
      runner.on('suite end', (s) => {
        if (s.title) depth--;
      });
      runner.on('pass', (t) => {
        result.passed++;
        opts.write(`${pad()}ok   ${t.title} (${t.duration ?? 0} ms)`);
      });
      runner.on('pending', (t) => {
        result.pending++;
        opts.write(`${pad()}skip ${t.title}`);
      });
      runner.on('fail', (t, err: Error) => {
        result.failed++;
        opts.write(`${pad()}FAIL ${t.fullTitle()}`);
        opts.write(`${pad()}     ${(err?.stack ?? String(err)).split('\n').join(`\n${pad()}     `)}`);
      });
      runner.on('end', () => {
        opts.write(
          `${result.passed} passing, ${result.failed} failing${result.pending ? `, ${result.pending} pending` : ''}`,
        );
        resolve(result);
      });
    } catch (e) {
      reject(e);
    }
  });
}

// As a script: node mochaRun.js --results FILE [--timeout MS] DIR...
if (require.main === module) {
  const args = process.argv.slice(2);
  let results = '';
  let timeout: number | undefined;
  let grep: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--results') results = args[++i]!;
    else if (args[i] === '--timeout') timeout = Number(args[++i]);
    else if (args[i] === '--grep') grep = args[++i];
    else dirs.push(args[i]!);
  }
  const files = dirs.flatMap((d) => (d.endsWith('.js') ? [d] : testFiles(d)));
  runMocha(files, { timeout, grep, write: (l) => process.stdout.write(`${l}\n`) }).then(
    (r) => {
      if (results) writeFileSync(results, JSON.stringify(r));
      process.exitCode = r.failed > 0 || files.length === 0 ? 1 : 0;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
