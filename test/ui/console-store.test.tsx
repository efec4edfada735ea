/**
 * Issue 9 in the console's store and frames, against our daemon (it pushes
 * events and reports its pid): each view asks only for what it shows, the
 * prompts edit at a cursor, messages expire, clients filter by read-only and
 * sort by user and pid, and a dropped connection to the same process is told
 * apart from a restart.
 */
import '../helpers/interactive-ink.js';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { render } from 'ink-testing-library';
import { AdminClient } from '../../src/admin-client/index.js';
import { App } from '../../src/ui/App.js';
import { createConsoleStore, type StoreOptions } from '../../src/ui/store/console-store.js';
import { StoreProvider } from '../../src/ui/store/store-context.js';
import { type ClientHolder, holdClients } from '../helpers/client-holder.js';
import { startInMode } from '../helpers/daemon-in-mode.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { RawClient } from '../helpers/raw-client.js';
import { ensureTestUser } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

const LEFT = '\u001b[D';
const HOME = '\u001b[H';
const RPC_METHODS = new Set([
  'listServers', 'listServices', 'getThreadpoolParameters', 'getClientLimits', 'listClients', 'clientInfoOf', 'getClientInfo',
  'getLoggingFilters', 'getLoggingOutputs', 'daemonProcess',
]);

/** The admin client, with every admin call it makes written down. */
function counted(admin: AdminClient): { admin: AdminClient; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(admin, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (RPC_METHODS.has(String(key))) calls.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { admin: proxy, calls };
}

async function mount(uri: string, opts: Partial<StoreOptions> = {}) {
  const real = await AdminClient.connect(uri, { reconnect: true, backoffMs: { initial: 50, max: 200 } });
  const { admin, calls } = counted(real);
  const store = createConsoleStore(admin, { readonly: false, ...opts });
  const ui = render(
    <StoreProvider store={store}>
      <App store={store} />
    </StoreProvider>,
  );
  await until(() => store.getState().target.liveEvents, { message: 'events subscribed' });
  await store.getState().refresh();
  const frame = () => ui.lastFrame() ?? '';
  const type = async (text: string) => {
    for (const ch of text.match(/\u001b\[[A-Z]|[^]/gu) ?? []) {
      ui.stdin.write(ch);
      await new Promise((r) => setImmediate(r));
    }
  };
  return { real, store, calls, frame, type, stop: () => (ui.unmount(), real.close()) };
}

describe('issue 9: the console against virtd libvirtd', () => {
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

  test('item 10: each view asks only for what it shows; what others change arrives as events', async (t) => {
    const m = await mount(d.adminUri);
    t.after(m.stop);
    // The first look after attaching (a sample and the view's poll) done, so what follows does not depend
    // on whether the test's first refresh joined it.
    await until(() => {
      const target = m.store.getState().target;
      return target.history.length > 0 && Object.keys(target.clientsByServer).length > 0;
    }, { message: 'the first look done' });
    const callsOf = async (view: 'dashboard' | 'servers' | 'clients' | 'logging', polls: number) => {
      m.store.getState().setView(view);
      await m.store.getState().refresh();
      m.calls.length = 0;
      for (let i = 0; i < polls; i++) await m.store.getState().refresh();
      return [...m.calls];
    };
    // The dashboard looks at every daemon's pools and limits (two servers here), never at its clients or log settings.
    assert.deepEqual((await callsOf('dashboard', 3)).sort(), [...Array(6).fill('getClientLimits'), ...Array(6).fill('getThreadpoolParameters')], 'pools and limits only');
    // Log settings are pushed: nothing to poll, but for the resync that re-reads them every tenth round.
    const logging = await callsOf('logging', 3);
    assert.ok(logging.length === 0 || JSON.stringify(logging.sort()) === JSON.stringify(['getLoggingFilters', 'getLoggingOutputs']), `log settings are pushed: at most one resync (${logging.join(', ')})`);
    assert.deepEqual(await callsOf('clients', 3), [], 'clients are pushed: nothing to poll');
    const servers = await callsOf('servers', 1);
    // Server names are read again only at a resync (every tenth poll).
    assert.deepEqual(servers.filter((c) => c !== 'listServers').sort(), ['getClientLimits', 'getClientLimits', 'getThreadpoolParameters', 'getThreadpoolParameters'], 'the pools and limits, not the services again');
    assert.ok(servers.filter((c) => c === 'listServers').length <= 1);

    // Another admin changes the filters and the pool: the console shows it without a poll.
    m.store.getState().setView('logging');
    assert.equal((await d.virtAdmin(['daemon-log-filters', '--filters', '3:qemu'])).code, 0);
    await until(() => /filters 3:\*qemu\*/.test(m.frame()), { message: 'the new filters on screen, pushed' });
    m.store.getState().setView('clients');
    await m.store.getState().refresh();
    const newcomer = await RawClient.connect(d.mainSocket);
    t.after(() => newcomer.close());
    await newcomer.remoteCall();
    await until(() => /4 of 4 clients/.test(m.frame()), { message: 'a new client, pushed' });
    await until(() => !/identity known for/.test(m.frame()), { message: 'its identity fetched once' });
    assert.equal((await d.virtAdmin(['daemon-log-filters', '--filters', ''])).code, 0);
  });

  test('item 12: ←/→ and Home move the cursor in a prompt; the daemon gets the edited line', async (t) => {
    const m = await mount(d.adminUri);
    t.after(m.stop);
    await m.type('2');
    await until(() => /workers min 5 {2}max 20/.test(m.frame()), { message: 'the servers view' });
    await m.type('w\u0015min=6 max=2 prio=4');
    await m.type(LEFT.repeat(7) + '2');
    await until(() => /worker limits of libvirtd: min=6 max=22 prio=4/.test(m.frame()), { message: 'typed at the cursor' });
    await m.type(HOME + 'x');
    await until(() => /worker limits of libvirtd: xmin=6/.test(m.frame()), { message: 'Home' });
    await m.type(LEFT + '\u0004\r'); // Ctrl-D deletes at the cursor: the x goes
    await until(async () => (await m.real.getThreadpoolParameters('libvirtd')).maxWorkers === 22, { message: 'the daemon has max 22' });
    const info = await d.virtAdmin(['srv-threadpool-info', 'libvirtd']);
    assert.match(info.stdout, /minWorkers\s+: 6\nmaxWorkers\s+: 22\n/);
    assert.equal((await d.virtAdmin(['srv-threadpool-set', 'libvirtd', '--max-workers', '20', '--min-workers', '5', '--priority-workers', '5'])).code, 0);
  });

  test('item 9: a message expires', async (t) => {
    const m = await mount(d.adminUri, { messageTtlMs: { ok: 300 } });
    t.after(m.stop);
    await m.type(':uri\r');
    await until(() => m.frame().includes(`\n${d.adminUri}`), { message: 'the answer' });
    await until(() => !m.frame().includes(`\n${d.adminUri}`), { message: 'gone after its time', timeoutMs: 3000 });
  });

  test('item 9: a dropped connection to the same process is not called a restart', async (t) => {
    const m = await mount(d.adminUri);
    t.after(m.stop);
    const other = await AdminClient.connect(d.adminUri);
    t.after(() => other.close());
    const before = (await other.listClients('admin')).map((c) => c.id);
    // The console's own admin client is the oldest but ours; drop it as another admin would.
    const mine = before.filter((id) => id !== Math.max(...before));
    for (const id of mine) await other.closeClient('admin', id);
    const notice = new RegExp(`connection to libvirtd re-established at \\d\\d:\\d\\d:\\d\\d: same process \\(pid ${d.pid}\\), nothing was lost`);
    await until(() => notice.test(m.frame().replace(/\s+/g, ' ')), { message: 'the notice', timeoutMs: 10000 });
  });
});

test('a console started before its daemon subscribes to its events once it is up', async (t) => {
  const d = await startVirtd('libvirtd');
  t.after(() => d.stop());
  await d.halt();
  const admin = await AdminClient.connect(d.adminUri, { reconnect: true, backoffMs: { initial: 50, max: 200 } });
  t.after(() => admin.close());
  const store = createConsoleStore(admin, { readonly: false });
  await until(() => store.getState().target.connection !== 'connecting', { message: 'the first attempt' });
  assert.equal(store.getState().target.liveEvents, false);
  await d.start();
  await until(() => store.getState().target.liveEvents, { message: 'events once the daemon is up', timeoutMs: 10000 });
  await until(() => store.getState().target.process !== undefined, { message: 'who serves it' });
  assert.equal(store.getState().target.process?.source, 'extension');
});

describe('issue 9 item 12: filter by read-only, sort by user and pid (system mode: a read-only socket)', () => {
  test('ro:yes, then u and p', async (t) => {
    const { sockets } = await startInMode(t, 'libvirtd', 'libvirt', 'system');
    const user = ensureTestUser();
    // The temp directories are root's alone; the test user needs a way to the read-only socket.
    for (const dir of [dirname(sockets), sockets]) chmodSync(dir, 0o755);
    const mine = await RawClient.connect(`${sockets}/libvirt-sock`);
    await mine.remoteCall();
    t.after(() => mine.close());
    // The test user may use the read-only socket (mode 0777) and nothing else.
    const theirs: ClientHolder = await holdClients({ mainSocket: `${sockets}/libvirt-sock-ro`, user: user.name } as DaemonUnderTest, 2);
    t.after(() => theirs.stop());
    const m = await mount(`libvirtd:///system?socket=${sockets}/libvirt-admin-sock`);
    t.after(m.stop);
    await until(() => /3 of 3 clients/.test(m.frame()) && !/identity known/.test(m.frame()), { message: 'every identity' });
    await m.type('/ro:yes\r');
    await until(() => /2 of 3 clients/.test(m.frame()), { message: 'the read-only ones' });
    assert.doesNotMatch(m.frame(), /root \(0\)/);
    await m.type('/\u0015ro:no\r');
    await until(() => /1 of 3 clients/.test(m.frame()) && /root \(0\)/.test(m.frame()), { message: 'the read-write one' });
    await m.type('/\u0015\r');
    const firstRow = () => /^\s+\d+\s+unix .*$/m.exec(m.frame())?.[0] ?? '';
    await m.type('u');
    await until(() => /sorted by user/.test(m.frame()) && /root \(0\)/.test(firstRow()), { message: 'root first' });
    await m.type('u');
    await until(() => /\(reversed\)/.test(m.frame()) && new RegExp(`${user.name} \\(${user.uid}\\)`).test(firstRow()), { message: 'reversed' });
    const [low, high] = [process.pid, theirs.pid].sort((a, b) => a - b);
    await m.type('p');
    await until(() => /sorted by pid/.test(m.frame()) && new RegExp(`\\s${low}(\\s|$)`).test(firstRow()), { message: "lowest pid first" });
    await m.type('p');
    await until(() => new RegExp(`\\s${high}(\\s|$)`).test(firstRow()), { message: 'highest pid first' });
  });
});
