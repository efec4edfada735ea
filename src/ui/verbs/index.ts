/** Every verb, in virt-admin's order; the command line and the console's palette share this table. */
import { clientDisconnect } from './client-disconnect.js';
import { clientInfo } from './client-info.js';
import { clientList } from './client-list.js';
import { daemonLogFilters } from './daemon-log-filters.js';
import { daemonLogOutputs } from './daemon-log-outputs.js';
import { daemonTimeout } from './daemon-timeout.js';
import { serverClientsInfo } from './server-clients-info.js';
import { serverClientsSet } from './server-clients-set.js';
import { serverList } from './server-list.js';
import { serverThreadpoolInfo } from './server-threadpool-info.js';
import { serverThreadpoolSet } from './server-threadpool-set.js';
import { serverUpdateTls } from './server-update-tls.js';
import { uri } from './uri.js';
import { version } from './version.js';
import type { Verb, VerbArgs } from './verb.js';

export * from './verb.js';
export * from './parse-verb-args.js';

export const VERBS: readonly Verb[] = [
  uri, version, serverList, serverThreadpoolInfo, serverThreadpoolSet, clientList, clientInfo, clientDisconnect,
  serverClientsInfo, serverClientsSet, serverUpdateTls, daemonLogFilters, daemonLogOutputs, daemonTimeout,
];

export function findVerb(name: string): Verb | undefined {
  return VERBS.find((v) => v.name === name || v.aliases.includes(name));
}

/** Whether running the verb with these arguments would change the daemon (read-only consoles refuse it). */
export function changesDaemon(verb: Verb, args: VerbArgs): boolean {
  if (verb.name === 'daemon-log-filters') return args.filters !== undefined;
  if (verb.name === 'daemon-log-outputs') return args.outputs !== undefined;
  return verb.changesDaemon;
}
