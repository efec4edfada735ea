/**
 * Every AdminClient method against the daemon at argv[2], results printed as
 * JSON with run-specific values (times, pids, ids) reduced to their kind.
 * Run as the daemon's user (admin sockets admit only it) by client-methods.test.
 */
import { AdminClient } from '../../src/admin-client/index.js';
import { VirError } from '../../src/rpc/index.js';

const out: Record<string, unknown> = {};
async function step(name: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    out[name] = (await fn()) ?? 'ok';
  } catch (err) {
    out[name] = err instanceof VirError ? { code: err.code, domain: err.domain, message: err.message } : { thrown: String(err) };
  }
}

const admin = await AdminClient.connect(process.argv[2]);
await step('getLibVersion', () => admin.getLibVersion());
await step('listServers', async () => (await admin.listServers()).sort());
await step('lookupServer', () => admin.lookupServer('libvirtd'));
await step('lookupServer missing', () => admin.lookupServer('nosuch'));
await step('getThreadpoolParameters', () => admin.getThreadpoolParameters('libvirtd'));
await step('setThreadpoolParameters', () => admin.setThreadpoolParameters('libvirtd', { minWorkers: 7, prioWorkers: 3 }));
await step('getThreadpoolParameters after', async () => {
  // libvirt's freshly spawned worker threads count as free only once they reach their
  // wait, so right after raising minWorkers its freeWorkers may briefly lag nWorkers;
  // and it reports the priority workers running, which fall to a lowered limit only as
  // the excess threads quit. Read again until that has happened (1 s at most).
  let tp = await admin.getThreadpoolParameters('libvirtd');
  for (let i = 0; i < 20 && tp.prioWorkers !== 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
    tp = await admin.getThreadpoolParameters('libvirtd');
  }
  return { ...tp, freeWorkers: tp.freeWorkers <= tp.nWorkers ? 'at most nWorkers' : tp.freeWorkers };
});
await step('setThreadpoolParameters bad', () => admin.setThreadpoolParameters('libvirtd', { minWorkers: 99 }));
const clients = await admin.listClients('libvirtd');
await step('listClients', async () => clients.map((c) => ({ server: c.server, transport: c.transport, connectedRecently: Math.abs(Date.now() / 1000 - c.connectedAt) < 120 })));
const first = clients[0]!;
await step('lookupClient', async () => (await admin.lookupClient('libvirtd', first.id)).transport);
await step('lookupClient missing', () => admin.lookupClient('libvirtd', 4242));
await step('getClientInfo', async () => {
  const info = await admin.getClientInfo('libvirtd', first.id);
  return { readonly: info.readonly, unixUserName: info.unixUserName, hasPid: typeof info.unixProcessId === 'number', fields: info.params.map((p) => p.field) };
});
await step('getClientLimits', () => admin.getClientLimits('libvirtd'));
await step('setClientLimits', () => admin.setClientLimits('libvirtd', { maxClients: 300, maxUnauthClients: 40 }));
await step('getClientLimits after', () => admin.getClientLimits('libvirtd'));
await step('setClientLimits bad', () => admin.setClientLimits('libvirtd', { maxClients: 10 }));
await step('getLoggingFilters', () => admin.getLoggingFilters());
await step('setLoggingFilters', () => admin.setLoggingFilters('2:rpc +1:util'));
await step('getLoggingFilters after', () => admin.getLoggingFilters());
await step('setLoggingFilters bad', () => admin.setLoggingFilters('0:x'));
await step('setLoggingFilters clear', () => admin.setLoggingFilters(null));
await step('getLoggingOutputs', () => admin.getLoggingOutputs());
await step('setLoggingOutputs', () => admin.setLoggingOutputs('3:stderr'));
await step('setLoggingOutputs bad', () => admin.setLoggingOutputs('3:nowhere'));
await step('updateTlsFiles', () => admin.updateTlsFiles('libvirtd'));
await step('setDaemonTimeout', () => admin.setDaemonTimeout(0));
await step('closeClient', () => admin.closeClient('libvirtd', first.id));
await step('listClients after close', async () => (await admin.listClients('libvirtd')).length);
await admin.close();
await step('call after close', () => admin.getLibVersion());
console.log(JSON.stringify(out, null, 1));
