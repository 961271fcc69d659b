import * as assert from 'node:assert/strict';
import {
  Endpoint,
  envelopeProblem,
  notification,
  request,
  type Envelope,
  type Transport,
} from '../../../src/protocol/rpc';

/** Two transports wired to each other, delivering asynchronously like postMessage. */
function pair(): [Transport, Transport, { sent: unknown[] }] {
  const listeners: [((m: unknown) => void)[], ((m: unknown) => void)[]] = [[], []];
  const log = { sent: [] as unknown[] };
  const make = (me: 0 | 1): Transport => ({
    send(m: Envelope) {
      log.sent.push(m);
      const copy = structuredClone(m);
      setTimeout(() => listeners[me === 0 ? 1 : 0].forEach((l) => l(copy)), 0);
    },
    onMessage(l) {
      listeners[me].push(l);
      return () => listeners[me].splice(listeners[me].indexOf(l), 1);
    },
  });
  return [make(0), make(1), log];
}

const add = request<{ a: number; b: number }, number>('add');
const ping = notification<string>('ping');

describe('protocol/rpc', () => {
  it('answers a request with its result', async () => {
    const [t1, t2] = pair();
    const host = new Endpoint(t1);
    const view = new Endpoint(t2);
    host.on(add, (p) => {
      const { a, b } = p as { a: number; b: number };
      return a + b;
    });
    assert.equal(await view.request(add, { a: 2, b: 3 }), 5);
  });

  it('returns a thrown error as an error, not a result', async () => {
    const [t1, t2] = pair();
    const host = new Endpoint(t1);
    const view = new Endpoint(t2);
    host.on(add, async () => {
      throw new Error('bad params');
    });
    await assert.rejects(view.request(add, { a: 1, b: 1 }), /bad params/);
  });

  it('rejects a request nobody handles, and reports it on the receiving side', async () => {
    const [t1, t2] = pair();
    const problems: string[] = [];
    new Endpoint(t1, (p) => problems.push(p));
    const view = new Endpoint(t2);
    await assert.rejects(view.request(add, { a: 1, b: 1 }), /unknown request add/);
    assert.deepEqual(problems, ['unknown request add']);
  });

  it('delivers notifications and logs unknown ones', async () => {
    const [t1, t2] = pair();
    const problems: string[] = [];
    const host = new Endpoint(t1, (p) => problems.push(p));
    const view = new Endpoint(t2);
    const got = new Promise((r) => host.on(ping, r));
    view.notify(ping, 'hello');
    assert.equal(await got, 'hello');
    view.notify(notification<number>('nope'), 1);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(problems, ['ignored unknown notification nope']);
  });

  it('ignores malformed messages and says why', () => {
    assert.equal(envelopeProblem(null), 'not an object');
    assert.equal(envelopeProblem({ type: 'request' }), 'not a Trace Lens message');
    assert.equal(envelopeProblem({ rpc: 1, type: 'request', id: 'x', method: 'm' }), 'request without an integer id');
    assert.equal(envelopeProblem({ rpc: 1, type: 'error', id: 1 }), 'error without a message');
    assert.equal(envelopeProblem({ rpc: 1, type: 'shout' }), 'unknown message type "shout"');
    assert.equal(envelopeProblem({ rpc: 1, type: 'notification', method: 'x', params: 1 }), undefined);
  });

  it('fails pending requests when disposed', async () => {
    const [t1] = pair();
    const view = new Endpoint(t1);
    const p = view.request(add, { a: 1, b: 2 });
    view.dispose();
    await assert.rejects(p, /closed/);
  });
});
