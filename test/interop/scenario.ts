/**
 * The same virt-admin session, played against any daemon: every command of
 * issue 2's list, with the extra live clients the commands need. Each step's
 * result is normalised so that only run-specific values (times, ids, pids,
 * paths) are masked; everything else must be equal between daemons.
 */
import { join } from 'node:path';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { RawClient } from '../helpers/raw-client.js';
import type { ToolResult } from '../helpers/tools.js';

export interface Step {
  name: string;
  result: { code: number | null; stdout: string; stderr: string };
}

const TIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4}/g;

export function normalise(text: string, d: DaemonUnderTest): string {
  return text.replaceAll(d.dir, '<DIR>').replace(TIME, '<TIME>');
}

/** Table rows of client-list: "<id> <transport> <time>" -> ids masked. */
function maskClientIds(text: string): string {
  return text.replace(/^ \d+(\s+)(unix|tcp|tls)/gm, ' <ID>$1$2').replace(/^ <ID>( +)/gm, (_m, sp: string) => ` <ID>${sp.length > 3 ? '   ' : sp}`);
}

/** `Id` column widths depend on the ids' digits; mask them consistently. */
function maskClientTable(text: string): string {
  const lines = maskClientIds(text).split('\n');
  return lines.map((l) => l.replace(/^ <ID>\s+/, ' <ID>   ')).join('\n').replace(/^ Id\s+Transport/m, ' Id   Transport').replace(/^-+$/m, (dashes) => `<${dashes.length >= 43 ? 'dashes:rows' : `dashes:${dashes.length}`}>`);
}

function maskInfo(text: string): string {
  return text
    .replace(/^(id\s*: )\d+$/m, '$1<ID>')
    .replace(/^(unix_process_id: )\d+$/m, '$1<PID>');
}

export async function playScenario(d: DaemonUnderTest): Promise<Step[]> {
  const steps: Step[] = [];
  const va = async (name: string, args: string[], mask: (s: string) => string = (s) => s): Promise<ToolResult> => {
    const r = await d.virtAdmin(args);
    steps.push({ name, result: { code: r.code, stdout: mask(normalise(r.stdout, d)), stderr: mask(normalise(r.stderr, d)) } });
    return r;
  };
  const note = (name: string, value: unknown) => steps.push({ name, result: { code: 0, stdout: JSON.stringify(value), stderr: '' } });

  // Servers: the order is a hash order in libvirt (arbitrary), so compare the set.
  const srv = await d.virtAdmin(['srv-list']);
  note('srv-list names', srv.stdout.split('\n').slice(2).map((l) => l.trim().split(/\s+/)[1]).filter(Boolean).sort());
  note('srv-list header', srv.stdout.split('\n').slice(0, 2));
  await va('server-list -q (rows)', ['-q', 'server-list'], (s) => s.split('\n').map((l) => l.replace(/\S+$/, '<NAME>')).join('\n'));
  await va('srv-threadpool-info libvirtd', ['srv-threadpool-info', 'libvirtd']);
  // libvirtd's worker that served the previous virt-admin counts as free only once it is back in
  // its wait, which races with this call: that one line is masked (ours are counted exactly).
  await va('server-threadpool-info admin', ['server-threadpool-info', 'admin'], (s) => s.replace(/^freeWorkers +: \d+$/m, 'freeWorkers    : <n>'));
  await va('srv-clients-info libvirtd', ['srv-clients-info', 'libvirtd']);
  await va('server-clients-info admin', ['server-clients-info', 'admin']);
  await va('client-list empty', ['client-list', 'libvirtd'], maskClientTable);

  // Two clients that made a call, one that never did.
  const a = await RawClient.connect(d.mainSocket);
  const b = await RawClient.connect(d.mainSocket);
  await a.remoteCall();
  await b.remoteCall();
  const silent = await RawClient.connect(d.mainSocket);
  try {
    await va('client-list three', ['client-list', 'libvirtd'], maskClientTable);
    await va('srv-clients-list -q', ['-q', 'srv-clients-list', 'libvirtd'], maskClientTable);
    const ids = (await d.virtAdmin(['-q', 'client-list', 'libvirtd'])).stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0])
      .filter((x): x is string => !!x);
    note('client count', ids.length);
    const [idA, idB, idSilent] = ids as [string, string, string];
    await va('client-info with identity', ['client-info', 'libvirtd', idA], maskInfo);
    await va('client-info before any call', ['client-info', 'libvirtd', idSilent]);
    await va('client-info unknown id', ['client-info', 'libvirtd', '4242']);
    await va('client-disconnect', ['client-disconnect', 'libvirtd', idB], (s) => s.replace(`'${idB}'`, "'<ID>'"));
    note('victim saw EOF', await b.waitClosed());
    const after = await d.virtAdmin(['-q', 'client-list', 'libvirtd']);
    note('disconnected client gone from client-list', !after.stdout.split('\n').some((l) => l.trim().split(/\s+/)[0] === idB));
    await va('client-disconnect unknown', ['client-disconnect', 'libvirtd', '4242']);
  } finally {
    a.close();
    b.close();
    silent.close();
  }

  await va('threadpool-set', ['srv-threadpool-set', 'libvirtd', '--min-workers', '8', '--max-workers', '30', '--priority-workers', '6']);
  // Right after minWorkers rises, libvirt's new threads count as free only once they
  // reach their wait: freeWorkers may lag for a moment, so that one line is masked.
  await va('threadpool-info after set', ['srv-threadpool-info', 'libvirtd'], (s) => s.replace(/^freeWorkers +: \d+$/m, 'freeWorkers    : <n>'));
  await va('threadpool-set min over max', ['server-threadpool-set', 'libvirtd', '--min-workers', '40']);
  await va('threadpool-set both given, min > max', ['srv-threadpool-set', 'libvirtd', '--min-workers', '9', '--max-workers', '3']);
  await va('threadpool-set none given', ['srv-threadpool-set', 'libvirtd']);
  await va('clients-set', ['srv-clients-set', 'libvirtd', '--max-clients', '100', '--max-unauth-clients', '10']);
  await va('clients-info after set', ['srv-clients-info', 'libvirtd']);
  await va('clients-set max below unauth', ['server-clients-set', 'libvirtd', '--max-clients', '5']);
  await va('clients-set unauth over max given', ['srv-clients-set', 'libvirtd', '--max-clients', '5', '--max-unauth-clients', '6']);

  await va('log filters, none', ['daemon-log-filters']);
  await va('log filters set', ['daemon-log-filters', '--filters', '1:qemu 3:remote +2:util.json']);
  await va('log filters get', ['daemon-log-filters']);
  await va('log filters -q', ['-q', 'daemon-log-filters']);
  await va('log filters bad', ['daemon-log-filters', '--filters', '9:qemu']);
  await va('log filters malformed', ['daemon-log-filters', '--filters', 'bogus']);
  await va('log filters clear', ['daemon-log-filters', '--filters', '']);
  await va('log filters after clear', ['daemon-log-filters']);
  await va('log outputs get', ['daemon-log-outputs']);
  await va('log outputs set', ['daemon-log-outputs', '--outputs', `3:stderr 1:file:${join(d.dir, 'home', 'dbg.log')}`]);
  await va('log outputs get after set', ['daemon-log-outputs']);
  await va('log outputs bad destination', ['daemon-log-outputs', '--outputs', '3:bogus']);
  await va('log outputs bad file', ['daemon-log-outputs', '--outputs', '1:file:/nonexistent-dir/y.log']);
  await va('log outputs reset', ['daemon-log-outputs', '--outputs', '']);
  await va('log outputs after reset', ['daemon-log-outputs']);

  await va('daemon-timeout', ['daemon-timeout', '--timeout', '0']);
  await va('daemon-timeout positional', ['daemon-timeout', '1800']);
  await va('server-update-tls', ['server-update-tls', 'libvirtd']);
  await va('srv-update-tls admin', ['srv-update-tls', 'admin']);
  await va('version', ['version']);
  await va('unknown server', ['srv-threadpool-info', 'nosuch']);
  await va('unknown server, clients-set', ['srv-clients-set', 'nosuch', '--max-clients', '10']);
  await va('unknown command', ['frobnicate']);
  return steps;
}

/**
 * "Limits set are the limits reported and enforced": with max_clients set to
 * the current count, a new client connects but is not served until one leaves.
 */
export async function playLimitEnforcement(d: DaemonUnderTest): Promise<Step[]> {
  const steps: Step[] = [];
  const note = (name: string, value: unknown) => steps.push({ name, result: { code: 0, stdout: JSON.stringify(value), stderr: '' } });
  const first = await RawClient.connect(d.mainSocket);
  await first.remoteCall();
  const set = await d.virtAdmin(['srv-clients-set', 'libvirtd', '--max-clients', '1', '--max-unauth-clients', '0']);
  note('set max 1', set.code);
  const info = await d.virtAdmin(['srv-clients-info', 'libvirtd']);
  note('reported', info.stdout.split('\n').slice(0, 2));
  const waiting = await RawClient.connect(d.mainSocket);
  note('second client served while full', (await waiting.remoteCall(66, 700)) !== null);
  first.close();
  note('second client served once the first left', (await waiting.next(5000)) !== null);
  waiting.close();
  await d.virtAdmin(['srv-clients-set', 'libvirtd', '--max-clients', '5000', '--max-unauth-clients', '20']);
  return steps;
}
