/**
 * How a daemon was started, and its idle countdown, through the extension program:
 * our virtqemud reports its command line, the environment that decides its config and
 * logging, the config file it read, and when it will exit if it stays idle. A console
 * that releases its hold does not keep a daemon with --timeout alive (libvirt counts
 * every admin client, so watching such a daemon would keep it up for ever).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AdminClient, type SettingsEvent } from '../../src/admin-client/index.js';
import { holdClients } from '../helpers/client-holder.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { until } from '../helpers/until.js';
import { REPO_ROOT } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

const PROBE = join(REPO_ROOT, 'dist', 'test', 'helpers', 'admin-probe.js');

test('our virtqemud: its launch facts, and an idle countdown a released console does not stop', async (t) => {
  const d = await startVirtd('virtqemud', { config: 'max_workers = 30\n', args: ['--timeout', '3'] });
  t.after(() => d.stop());
  const admin = await AdminClient.connect(d.adminUri);
  t.after(() => admin.close());
  const events: SettingsEvent[] = [];
  admin.onSettingsChanged((e) => events.push(e));
  assert.equal(await admin.subscribeClientEvents(() => {}), true);

  const launch = (await admin.daemonLaunch())!;
  assert.deepEqual(
    { ...launch, env: undefined },
    {
      name: 'virtqemud',
      mode: 'session',
      uid: process.geteuid!(),
      pid: d.pid,
      args: ['--mode', 'session', '--timeout', '3'],
      env: undefined,
      configFile: join(d.dir, 'config', 'libvirt', 'virtqemud.conf'),
      configFound: true,
      timeoutSec: 3,
      idleShutdownAt: null,
      holdingClients: 1,
    },
    'this console holds it up until it says otherwise',
  );
  assert.equal(launch.env.XDG_CONFIG_HOME, join(d.dir, 'config'));
  assert.equal(launch.env.PATH, undefined, 'only what decides config and logging');

  // A client of the main socket holds it up; the console releases its own hold.
  const holder = await holdClients(d, 1);
  assert.equal(await admin.releaseIdleHold(), true);
  const held = (await admin.daemonLaunch())!;
  assert.equal(held.holdingClients, 1);
  assert.equal(held.idleShutdownAt, null);

  const left = Date.now();
  holder.stop();
  await until(() => events.some((e) => e.what === 'idle'), { message: 'the countdown pushed' });
  const counting = (await admin.daemonLaunch())!;
  assert.equal(counting.holdingClients, 0);
  assert.ok(counting.idleShutdownAt !== null, 'counting down with only the console attached');
  assert.ok(Math.abs(counting.idleShutdownAt - (left + 3000)) < 1000, `exits at ${counting.idleShutdownAt}, the client left at ${left}`);
  await until(() => d.exitStatus() !== undefined, { timeoutMs: 8000, message: 'the idle daemon to exit with the console attached' });
  assert.equal(d.exitStatus(), 0);
  assert.ok(Date.now() - left >= 2900, 'not before its time');
});

test("libvirt's daemon: no launch facts and no release (the console holds it up while attached)", async (t) => {
  const d = await startRealLibvirtd();
  t.after(() => d.stop());
  const r = await d.run(process.execPath, [PROBE, d.adminUri, 'daemonLaunch', 'releaseIdleHold']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { daemonLaunch: null, releaseIdleHold: false });
});
