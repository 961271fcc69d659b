// Test bundles live at different depths under out/, so paths start from the repository root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'trace-lens')
      return dir;
  }
  throw new Error(`no trace-lens package.json above ${from}`);
}

/** The repository root. */
export const repoRoot = findRoot(__dirname);
