/** The worker pool's counters are real: they move as jobs start, wait and finish. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkerPool } from '../../src/daemons/runtime/worker-pool.js';

/** A job that runs until the test releases it. */
function gate() {
  let release!: () => void;
  let started = false;
  const done = new Promise<void>((r) => (release = r));
  return {
    job: async () => {
      started = true;
      await done;
    },
    release: () => release(),
    get started() {
      return started;
    },
  };
}
const tick = () => new Promise((r) => setImmediate(r));

test('workers grow on demand up to max, jobs queue beyond it', async () => {
  const pool = new WorkerPool({ minWorkers: 2, maxWorkers: 3, prioWorkers: 0 });
  assert.deepEqual(pool.stats(), { minWorkers: 2, maxWorkers: 3, prioWorkers: 0, nWorkers: 2, freeWorkers: 2, jobQueueDepth: 0 });
  const gates = Array.from({ length: 5 }, gate);
  for (const g of gates) pool.submit(g.job);
  assert.equal(pool.stats().nWorkers, 3);
  assert.equal(pool.stats().freeWorkers, 0);
  assert.equal(pool.stats().jobQueueDepth, 2);
  assert.deepEqual(gates.map((g) => g.started), [true, true, true, false, false]);
  gates[0]!.release();
  await tick();
  assert.equal(pool.stats().jobQueueDepth, 1);
  assert.equal(gates[3]!.started, true);
  for (const g of gates) g.release();
  await tick();
  await tick();
  assert.deepEqual(pool.stats(), { minWorkers: 2, maxWorkers: 3, prioWorkers: 0, nWorkers: 3, freeWorkers: 3, jobQueueDepth: 0 });
});

test('priority workers take only priority jobs, when every normal worker is busy', async () => {
  const pool = new WorkerPool({ minWorkers: 1, maxWorkers: 1, prioWorkers: 1 });
  const busy = gate();
  const normal = gate();
  const urgent = gate();
  pool.submit(busy.job);
  pool.submit(normal.job);
  pool.submit(urgent.job, true);
  assert.equal(normal.started, false);
  assert.equal(urgent.started, true);
  assert.equal(pool.stats().jobQueueDepth, 1);
  for (const g of [busy, normal, urgent]) g.release();
});

test('raising min spawns at once; lowering it keeps workers; lowering max retires idle excess', async () => {
  const pool = new WorkerPool({ minWorkers: 5, maxWorkers: 20, prioWorkers: 5 });
  pool.setLimits({ minWorkers: 12 });
  assert.equal(pool.stats().nWorkers, 12);
  pool.setLimits({ minWorkers: 2 });
  assert.equal(pool.stats().nWorkers, 12);
  const gates = Array.from({ length: 6 }, gate);
  for (const g of gates) pool.submit(g.job);
  pool.setLimits({ maxWorkers: 4 });
  assert.equal(pool.stats().nWorkers, 6, 'busy workers finish their jobs first');
  for (const g of gates) g.release();
  await tick();
  await tick();
  assert.equal(pool.stats().nWorkers, 4);
});

test('maxWorkers 0 runs jobs inline and counts no workers (virtlogd)', async () => {
  const pool = new WorkerPool({ minWorkers: 0, maxWorkers: 0, prioWorkers: 0 });
  let ran = false;
  pool.submit(async () => {
    ran = true;
  });
  assert.equal(ran, true);
  assert.equal(pool.stats().nWorkers, 0);
});
