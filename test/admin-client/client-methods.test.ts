/**
 * Every AdminClient method gives the same result against libvirtd 9.0 and
 * against `virtd libvirtd`, for the same state.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { REPO_ROOT } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

const EXERCISE = join(REPO_ROOT, 'dist', 'test', 'admin-client', 'exercise.js');

async function exercise(d: DaemonUnderTest): Promise<Record<string, unknown>> {
  const live = await RawClient.connect(d.mainSocket);
  await live.remoteCall();
  try {
    const r = await d.run(process.execPath, [EXERCISE, d.adminUri], 30000);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  } finally {
    live.close();
  }
}

test('every client method: same results from libvirtd 9.0 and virtd libvirtd', async (t) => {
  const [real, ours] = await Promise.all([startRealLibvirtd(), startVirtd('libvirtd')]);
  t.after(() => Promise.all([real.stop(), ours.stop()]));
  const [theirs, mine] = await Promise.all([exercise(real), exercise(ours)]);
  // The daemons run as different users (virttest / root): the client-info user differs by design.
  const user = (r: Record<string, unknown>) => ({ ...r, getClientInfo: { ...(r.getClientInfo as object), unixUserName: '<user>' } });
  assert.deepEqual(user(mine), user(theirs));
  // And the results are real, not empty agreement.
  assert.equal(mine.getLibVersion, 9000000);
  assert.deepEqual(mine.listServers, ['admin', 'libvirtd']);
  assert.equal((mine['getThreadpoolParameters after'] as { minWorkers: number }).minWorkers, 7);
  assert.equal(mine['listClients after close'], 0);
  assert.deepEqual((mine['lookupServer missing'] as { code: number }).code, 95);
});
