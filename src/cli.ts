// The trace-lens CLI: the same core as the extension, for terminals and CI.
import { version } from '../package.json';

/** The usage text `--help` prints. */
export const usage = `trace-lens ${version}: AWS X-Ray and OpenTelemetry traces, from the terminal.

Usage: trace-lens <command> [options]

Options:
  -h, --help      print this help
  -v, --version   print the version
`;

/** Runs the CLI with argv (without node and script); resolves to the process exit code. */
export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    out(usage);
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    out(`${version}\n`);
    return 0;
  }
  err(`trace-lens: unknown command or option '${first}'. Run 'trace-lens --help' for the commands.\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`trace-lens: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
