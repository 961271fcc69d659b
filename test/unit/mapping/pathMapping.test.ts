import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isLocation, type Resolution } from '../../../src/mapping/location';
import { labelFunction, mapFramePath } from '../../../src/mapping/pathMapping';
import { WorkspaceFiles } from '../../../src/mapping/workspaceFiles';

let ws: string;
let outside: string;
const write = (rel: string, text = '') => {
  mkdirSync(dirname(join(ws, rel)), { recursive: true });
  writeFileSync(join(ws, rel), text);
};
const rel = (r: Resolution) =>
  isLocation(r) ? `${r.path.slice(ws.length + 1)}:${r.line}` : `unresolved: ${r.unresolved}`;

describe('mapping/pathMapping', () => {
  let files: WorkspaceFiles;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'trace-lens-ws-'));
    outside = mkdtempSync(join(tmpdir(), 'trace-lens-outside-'));
    write('src/handler.js', 'exports.handler = async function handler() {}\n');
    write('src/orders/checkout.js', 'async function checkout() {}\n');
    write('lib/checkout.js', 'function other() {}\n');
    write('app/payments/models.py', 'def charge(card):\n    raise ValueError()\n');
    write('app/orders/models.py', 'def place(order):\n    pass\n');
    write('svc/src/main/java/com/example/orders/OrderService.java', 'class OrderService {}\n');
    write('svc/src/main/java/com/example/billing/OrderService.java', 'class OrderService {}\n');
    write('node_modules/express/lib/router/index.js', '');
    write('src/index.js', '');
    writeFileSync(join(outside, 'secret.js'), 'x');
    symlinkSync(join(outside, 'secret.js'), join(ws, 'src', 'link.js'));
    files = new WorkspaceFiles([ws]);
  });
  after(() => {
    rmSync(ws, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('maps Lambda, Beanstalk and container paths by their longest suffix in the workspace', () => {
    assert.equal(rel(mapFramePath({ path: '/var/task/src/handler.js', line: 12 }, files)), 'src/handler.js:12');
    assert.equal(
      rel(mapFramePath({ path: '/var/app/current/src/orders/checkout.js', line: 3 }, files)),
      'src/orders/checkout.js:3',
    );
    assert.equal(
      rel(mapFramePath({ path: '/usr/src/app/src/orders/checkout.js', line: 4 }, files)),
      'src/orders/checkout.js:4',
    );
    assert.equal(
      rel(mapFramePath({ path: '/home/ci/build/repo/src/orders/checkout.js', line: 5 }, files)),
      'src/orders/checkout.js:5',
    );
    assert.equal(
      rel(mapFramePath({ path: 'C:\\build\\repo\\src\\orders\\checkout.js', line: 6 }, files)),
      'src/orders/checkout.js:6',
    );
  });

  it("chooses among same-named files by the label's function (Python basenames) and package (Java)", () => {
    assert.equal(rel(mapFramePath({ path: 'models.py', line: 2, label: 'charge' }, files)), 'app/payments/models.py:2');
    assert.equal(rel(mapFramePath({ path: 'models.py', line: 1, label: 'place' }, files)), 'app/orders/models.py:1');
    assert.equal(
      rel(
        mapFramePath({ path: 'OrderService.java', line: 40, label: 'com.example.billing.OrderService.invoice' }, files),
      ),
      'svc/src/main/java/com/example/billing/OrderService.java:40',
    );
    assert.equal(
      rel(
        mapFramePath(
          { path: 'OrderService.java', line: 41, label: 'com.example.orders.OrderService$Line.total' },
          files,
        ),
      ),
      'svc/src/main/java/com/example/orders/OrderService.java:41',
    );
  });

  it('keeps runtime, dependency, line-less and ambiguous frames as unresolved, saying why', () => {
    assert.match(rel(mapFramePath({ path: 'node:internal/process/task_queues', line: 95 }, files)), /runtime frame/);
    assert.match(
      rel(mapFramePath({ path: 'node', label: 'process.processTicksAndRejections' }, files)),
      /runtime frame/,
    );
    assert.match(rel(mapFramePath({ path: '/var/task/src/handler.js' }, files)), /recorded no line/);
    assert.match(
      rel(mapFramePath({ path: '/var/task/node_modules/express/lib/router/index.js', line: 3 }, files)),
      /dependency frame \(node_modules\)/,
    );
    assert.match(
      rel(mapFramePath({ path: 'checkout.js', line: 1, label: 'nowhere' }, files)),
      /matches 2 workspace files equally/,
    );
    assert.match(rel(mapFramePath({ path: '/somewhere/else/index.js', line: 1 }, files)), /^src\/index.js:1$/);
  });

  it('names the function of a frame label', () => {
    assert.equal(labelFunction('async checkout'), 'checkout');
    assert.equal(labelFunction('Object.reserve'), 'reserve');
    assert.equal(labelFunction('Router.handle [as handle_request]'), 'handle');
    assert.equal(labelFunction('anonymous'), undefined);
    assert.equal(labelFunction('async'), undefined);
  });

  describe('security: only files inside a workspace folder', () => {
    it('refuses .. escapes, absolute paths outside, URLs and symlinks that leave the workspace', () => {
      assert.match(JSON.stringify(files.confine(join(ws, '..', 'etc', 'passwd'))), /outside the workspace/);
      assert.match(JSON.stringify(files.confine(join(outside, 'secret.js'))), /outside the workspace/);
      assert.match(JSON.stringify(files.confine('http://evil.example/x.js')), /is a URL/);
      assert.match(
        JSON.stringify(files.confine(join(ws, 'src', 'link.js'))),
        /leads outside the workspace \(symlink\)/,
      );
      assert.ok('path' in files.confine(join(ws, 'src', 'handler.js')));
      // A frame naming a file outside is never mapped to it, even by its exact path.
      assert.ok(!isLocation(mapFramePath({ path: join(outside, 'secret.js'), line: 1 }, files)));
    });
  });
});
