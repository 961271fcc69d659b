// The manifest's promises: commands under traceLens. with the category, settings under traceLens.,
// no `*` activation, and an engine whose extension host has node:sqlite.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import manifest from '../../package.json';

const root = join(__dirname, '..', '..', '..');

describe('package.json manifest', () => {
  it('names the extension and its engine', () => {
    assert.equal(manifest.name, 'trace-lens');
    assert.equal(manifest.displayName, 'Trace Lens');
    assert.equal(manifest.engines.vscode, '^1.105.0');
  });

  it('has no * activation', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('puts every command under traceLens. with the category Trace Lens', () => {
    assert.ok(manifest.contributes.commands.length > 0);
    for (const c of manifest.contributes.commands) {
      assert.match(c.command, /^traceLens(\.[a-zA-Z]+)+$/);
      assert.equal(c.category, 'Trace Lens', c.command);
    }
  });

  it('puts every setting under traceLens.', () => {
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.match(key, /^traceLens\./);
  });

  it('contributes the Trace Lens container with an SVG icon in media/ and its Traces view', () => {
    const [container] = manifest.contributes.viewsContainers.activitybar;
    assert.equal(container?.title, 'Trace Lens');
    assert.match(container!.icon, /^media\/.+\.svg$/);
    assert.ok(existsSync(join(root, container!.icon)));
    const views = (manifest.contributes.views as Record<string, { id: string; name: string }[]>)[container!.id];
    assert.deepEqual(
      views?.map((v) => v.name),
      ['Traces'],
    );
  });

  it('declares the CLI bin', () => {
    assert.equal(manifest.bin['trace-lens'], './dist/cli.js');
  });
});
