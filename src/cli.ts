// The trace-lens CLI: the same core as the extension, for terminals and CI.
import { version } from '../package.json';
import { defaultStorePath } from './collector/openStore';
import { UsageError } from './cli/args';
import { collect, collectUsage } from './cli/collect';
import { importFiles, importUsage } from './cli/importFiles';
import { CliError, minimumNode, type Io } from './cli/io';
import { locate, locateUsage } from './cli/locate';
import { stats, statsUsage } from './cli/stats';
import { indexWorkspace, InstrumentationIndex } from './mapping/instrumentation';
import { trace, traces, tracesUsage } from './cli/traces';

/** The usage text `--help` prints. */
export const usage = `trace-lens ${version}: AWS X-Ray and OpenTelemetry traces, from the terminal.

Usage: trace-lens <command> [options]

Commands:
${[collectUsage, importUsage, tracesUsage, locateUsage, statsUsage].map((u) => `  ${u.replace(/\n/g, '\n  ')}`).join('\n\n')}

Options:
  -h, --help      print this help
  -v, --version   print the version

The store (--db) defaults to the one the extension uses: ${defaultStorePath()}
(set TRACE_LENS_DB to change it). Commands that read or write it need Node ${minimumNode} or later.
`;

const commands: Record<string, (argv: string[], io: Io) => number | Promise<number>> = {
  collect,
  import: importFiles,
  traces,
  trace,
  stats,
  locate: (argv, io) =>
    locate(argv, io, async (root) => {
      const index = new InstrumentationIndex();
      await indexWorkspace(root, index);
      return index;
    }),
};

/** Runs the CLI with argv (without node and script); resolves to the process exit code. */
export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    out(usage);
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    out(`${version}\n`);
    return 0;
  }
  const command = commands[first];
  if (!command) {
    err(`trace-lens: unknown command or option '${first}'. Run 'trace-lens --help' for the commands.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(usage);
    return 0;
  }
  try {
    return await command(rest, { out, err });
  } catch (e) {
    if (e instanceof UsageError) {
      err(`trace-lens ${first}: ${e.message}. Run 'trace-lens --help' for usage.\n`);
      return 2;
    }
    if (e instanceof CliError || (e instanceof Error && e.constructor.name === 'StoreOpenError')) {
      err(`trace-lens ${first}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  // `trace-lens traces | head`: a closed pipe ends the output, not the process with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  ).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`trace-lens: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
