/**
 * The console against a real daemon, driven by keys, with frames asserted:
 * views, filter, disconnect after confirmation, worker limits, log filters
 * checked before sending, and read-only refusal.
 */
import '../helpers/interactive-ink.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { render } from 'ink-testing-library';
import { AdminClient } from '../../src/admin-client/index.js';
import { App } from '../../src/ui/App.js';
import { interactiveDespiteCi } from '../../src/ui/console.js';
import { createConsoleStore, type ConsoleStore } from '../../src/ui/store/console-store.js';
import { StoreProvider } from '../../src/ui/store/store-context.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { RawClient } from '../helpers/raw-client.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

const ESC = '\u001b';
const BACKSPACE = '\u007f';

async function mount(d: DaemonUnderTest, readonly = false) {
  const admin = await AdminClient.connect(d.adminUri);
  const store: ConsoleStore = createConsoleStore(admin, { readonly, discovery: { sessionDir: d.runtimeDir, systemDir: d.dir } });
  const ui = render(
    <StoreProvider store={store}>
      <App store={store} />
    </StoreProvider>,
  );
  await store.getState().refresh();
  const frame = () => ui.lastFrame() ?? '';
  const type = async (text: string) => {
    for (const ch of text) {
      ui.stdin.write(ch);
      await new Promise((r) => setImmediate(r));
    }
  };
  return { admin, store, ui, frame, type };
}

describe('virt-admin-tui console against virtd libvirtd', () => {
  let d: DaemonUnderTest;
  const clients: RawClient[] = [];
  before(async () => {
    d = await startVirtd('libvirtd');
    for (let i = 0; i < 3; i++) {
      const c = await RawClient.connect(d.mainSocket);
      await c.remoteCall();
      clients.push(c);
    }
  });
  after(async () => {
    for (const c of clients) c.close();
    await d.stop();
  });

  test('clients view lists the daemon\'s clients with who they are', async (t) => {
    const { admin, ui, frame } = await mount(d);
    t.after(() => {
      ui.unmount();
      return admin.close();
    });
    await until(() => /3 of 3 clients/.test(frame()) && /root \(0\)/.test(frame()), { message: 'clients listed' });
    assert.match(frame(), /● connected/);
    assert.match(frame(), new RegExp(`root \\(0\\)\\s+${process.pid}`));
  });

  test('views by number: servers shows the worker pool, daemons the sockets, logging the outputs', async (t) => {
    const { admin, ui, frame, type } = await mount(d);
    t.after(() => {
      ui.unmount();
      return admin.close();
    });
    await type('2');
    await until(() => /workers min 5 {2}max 20 {2}priority 5/.test(frame()), { message: 'servers view' });
    assert.match(frame(), /clients\s+░+ 3\/5000/);
    // Issue 16: our daemons' descriptors against their limit, and what each server refused.
    await until(() => /descriptors\s+[█░]+ \d+\/\d+/.test(frame()), { message: 'the descriptors gauge' });
    assert.match(frame(), /refused: 0 past max_clients \+ queue, 0 to keep descriptors for admin/);
    await type('1');
    await until(() => /libvirtd\s+session\s+● up\s+pid \d+ .*● rw ● admin/.test(frame()), { message: 'the dashboard' });
    assert.match(frame(), /clients 3\/5000/, "the dashboard counts the main server's clients");
    await type('4');
    await until(() => /outputs 3:stderr/.test(frame()), { message: 'logging view' });
  });

  test('filter with /, then disconnect with a confirmation that names the client', async (t) => {
    const { admin, ui, frame, type, store } = await mount(d);
    t.after(() => {
      ui.unmount();
      return admin.close();
    });
    await until(() => /3 of 3 clients/.test(frame()));
    await type('/nobody-like-this\r');
    await until(() => /0 of 3 clients {2}sorted by id {2}filter "nobody-like-this"/.test(frame()), { message: 'filtered' });
    await type('/');
    await type(BACKSPACE.repeat(20) + '\r');
    await until(() => /3 of 3 clients/.test(frame()));
    const victim = store.getState().target.clients[0]!;
    await type('d');
    await until(() => /Disconnect client \d+ \(root, pid \d+ node, unix\)\? \[y\/n\]/.test(frame()), { message: 'confirmation' });
    await type('n');
    await until(() => !/Disconnect client/.test(frame()));
    assert.equal((await admin.listClients('libvirtd')).length, 3, 'n disconnects nobody');
    await type('dy');
    await until(async () => !(await admin.listClients('libvirtd')).some((c) => c.id === victim.id), { message: 'the daemon lost the client' });
    await until(() => new RegExp(`disconnect client ${victim.id}: done`).test(frame()));
    await until(() => /2 of 2 clients/.test(frame()));
  });

  test('worker limits through the dialog; the daemon reports the new values', async (t) => {
    const { admin, ui, frame, type } = await mount(d);
    t.after(() => {
      ui.unmount();
      return admin.close();
    });
    await type('2');
    await until(() => /workers min/.test(frame()));
    await type('w');
    await until(() => /worker limits of libvirtd: min=5 max=20 prio=5/.test(frame()), { message: 'dialog' });
    await type(BACKSPACE.repeat(30) + 'min=6 max=22 prio=4\r');
    await until(async () => (await admin.getThreadpoolParameters('libvirtd')).maxWorkers === 22, { message: 'daemon updated' });
    const tp = await admin.getThreadpoolParameters('libvirtd');
    assert.deepEqual([tp.minWorkers, tp.maxWorkers, tp.prioWorkers], [6, 22, 4]);
    // Runtime-only values are marked with what the config file gives back at a restart (drift).
    await until(() => /3 running value\(s\) differ from the config file, marked \(config …\): lost at restart/.test(frame()) && /workers min 6 \(config 5\) {2}max 22 \(config 20\) {2}priority 4 \(config 5\)/.test(frame()), {
      message: 'the new limits, marked as lost at restart',
    });
  });

  test('log filters: a syntax error stays at the prompt side, a good one reaches the daemon', async (t) => {
    const { admin, ui, frame, type } = await mount(d);
    t.after(() => {
      ui.unmount();
      return admin.close();
    });
    await type('4f');
    await until(() => /log filters:/.test(frame()));
    await type('9:qemu\r');
    await until(() => /set log filters: not sent: Invalid priority '9' for filter '9:qemu'/.test(frame()), { message: 'inline error' });
    assert.equal((await admin.getLoggingFilters()).filters, null, 'nothing was sent');
    await type('f');
    await type('1:rpc 3:qemu\r');
    await until(async () => (await admin.getLoggingFilters()).filters === '1:*rpc* 3:*qemu* ', { message: 'daemon has the filters' });
    await until(() => /filters 1:\*rpc\* 3:\*qemu\*/.test(frame()));
    await admin.setLoggingFilters(null);
  });

  test('the : palette runs virt-admin verbs and shows their answer', async (t) => {
    const { admin, ui, frame, type } = await mount(d);
    t.after(() => {
      ui.unmount();
      return admin.close();
    });
    await type(':srv-clients-info admin\r');
    await until(() => /nclients_max {8}: 5000/.test(frame()), { message: 'verb output' });
    await type(':srv-threadpool-info nosuch\r');
    await until(() => /server-threadpool-info: Server not found: No server named 'nosuch'/.test(frame()), { message: 'daemon error' });
    await type(':frobnicate\r');
    await until(() => /unknown command: 'frobnicate'/.test(frame()));
  });

  test('--readonly refuses every action that changes the daemon', async (t) => {
    const { admin, ui, frame, type } = await mount(d, true);
    t.after(() => {
      ui.unmount();
      return admin.close();
    });
    await until(() => /clients/.test(frame()));
    await type('d');
    await until(() => /disabled, the console is read-only/.test(frame()), { message: 'refusal' });
    assert.doesNotMatch(frame(), /Disconnect client/);
    await type(':client-disconnect libvirtd 1\r');
    await until(() => /client-disconnect: refused, the console is read-only/.test(frame()), { message: 'palette refusal' });
    await type('?');
    await until(() => /disconnect the selected client \(asks first\) \(disabled: read-only\)/.test(frame()));
    await type(ESC);
  });
});

test('an exported CI does not blank the console on a terminal, and stays put without one', () => {
  const env: NodeJS.ProcessEnv = { CI: 'true', CI_JOB: '1', CONTINUOUS_INTEGRATION: '1', HOME: '/x' };
  interactiveDespiteCi(env, false);
  assert.equal(env.CI, 'true');
  interactiveDespiteCi(env, true);
  assert.deepEqual(env, { CI: 'false', HOME: '/x' });
});
