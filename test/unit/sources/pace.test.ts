// The adaptive concurrency of a source, and the pool that runs calls within it.
import * as assert from 'node:assert/strict';
import { runPool, sleep } from '../../../src/sources/aws/concurrency';
import { Pace, type ThrottleState } from '../../../src/sources/aws/pace';

describe('pace and pool', () => {
  it('halves concurrency on a throttle, tells the UI, and grows back after successes', () => {
    const p = new Pace(8, 0);
    const states: ThrottleState[] = [];
    p.onChange((s) => states.push(s));
    p.throttled();
    p.throttled();
    assert.equal(p.concurrency, 2);
    assert.deepEqual(
      states.map((s) => [s.throttled, s.concurrency]),
      [
        [true, 4],
        [true, 2],
      ],
    );
    p.ok();
    assert.equal(states.at(-1)!.throttled, false, 'calm again (calmMs 0)');
    for (let i = 0; i < 40; i++) p.ok();
    assert.equal(p.concurrency, 8);
    assert.equal(p.state.throttles, 2);
  });

  it('runs at most limit() at once, takes work queued while running, and stops on the first failure', async () => {
    const queue = [1, 2, 3, 4, 5, 6];
    let running = 0;
    let max = 0;
    const done: number[] = [];
    await runPool(
      () => queue.shift(),
      async (n) => {
        max = Math.max(max, ++running);
        await sleep(5);
        if (n === 2) queue.push(7);
        done.push(n);
        running--;
      },
      () => 3,
    );
    assert.equal(max, 3);
    assert.deepEqual(done.sort(), [1, 2, 3, 4, 5, 6, 7]);
    const started: number[] = [];
    const items = [1, 2, 3, 4];
    await assert.rejects(
      runPool(
        () => items.shift(),
        async (n) => {
          started.push(n);
          if (n === 1) throw new Error('boom');
          await sleep(5);
        },
        () => 1,
      ),
      /boom/,
    );
    assert.deepEqual(started, [1]);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 10);
    await assert.rejects(sleep(10_000, stop.signal), (e: Error) => e.name === 'AbortError');
  });
});
