/**
 * Issue 2's acceptance: the real virt-admin 9.0 gives the same output and the
 * same kind of result against `virtd libvirtd` as against the real libvirtd
 * 9.0 in session mode, for every command. A difference is a bug in ours.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { startVirtd } from '../helpers/virtd.js';
import { playLimitEnforcement, playScenario, type Step } from './scenario.js';

describe('real virt-admin: virtd libvirtd behaves as libvirtd 9.0', () => {
  let real: DaemonUnderTest;
  let ours: DaemonUnderTest;
  let realSteps: Step[];
  let ourSteps: Step[];

  before(async () => {
    [real, ours] = await Promise.all([startRealLibvirtd(), startVirtd('libvirtd')]);
    // Sequentially: each scenario runs its own commands in order.
    realSteps = [...(await playScenario(real)), ...(await playLimitEnforcement(real))];
    ourSteps = [...(await playScenario(ours)), ...(await playLimitEnforcement(ours))];
  });
  after(async () => {
    await Promise.all([real?.stop(), ours?.stop()]);
  });

  test('both daemons played every step', () => {
    assert.deepEqual(
      ourSteps.map((s) => s.name),
      realSteps.map((s) => s.name),
    );
  });

  test('every step: same exit code, stdout and stderr (run-specific values masked)', () => {
    const diffs = realSteps.flatMap((r, i) => {
      const o = ourSteps[i]!;
      try {
        assert.deepEqual(o.result, r.result);
        return [];
      } catch {
        return [`${r.name}:\n  libvirtd: ${JSON.stringify(r.result)}\n  ours:     ${JSON.stringify(o.result)}`];
      }
    });
    assert.equal(diffs.length, 0, `steps that differ:\n${diffs.join('\n')}`);
  });

  test('the scenario is meaningful: clients were listed, disconnected and limits enforced', () => {
    const byName = new Map(ourSteps.map((s) => [s.name, s.result.stdout]));
    assert.equal(byName.get('client count'), '3');
    assert.equal(byName.get('victim saw EOF'), 'true');
    assert.equal(byName.get('disconnected client gone from client-list'), 'true');
    assert.equal(byName.get('second client served while full'), 'false');
    assert.equal(byName.get('second client served once the first left'), 'true');
    assert.match(byName.get('threadpool-info after set')!, /minWorkers     : 8\nmaxWorkers     : 30\nnWorkers       : 8\nfreeWorkers    : <n>\nprioWorkers    : 6/);
  });
});
