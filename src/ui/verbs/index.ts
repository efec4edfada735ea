/** Every verb, in virt-admin's order; the command line, the console's palette and its prompts share this table. */
import { clientDisconnect } from './client-disconnect.js';
import { clientInfo } from './client-info.js';
import { clientList } from './client-list.js';
import { daemonLogFilters } from './daemon-log-filters.js';
import { daemonLogOutputs } from './daemon-log-outputs.js';
import { daemonTimeout } from './daemon-timeout.js';
import { helpVerb } from './help.js';
import { serverClientsInfo } from './server-clients-info.js';
import { serverClientsSet } from './server-clients-set.js';
import { serverList } from './server-list.js';
import { serverThreadpoolInfo } from './server-threadpool-info.js';
import { serverThreadpoolSet } from './server-threadpool-set.js';
import { serverUpdateTls } from './server-update-tls.js';
import { uri } from './uri.js';
import { version } from './version.js';
import type { Verb } from './verb.js';

export * from './verb.js';
export * from './option-values.js';
export * from './parse-verb-args.js';
export * from './shell-words.js';
export * from './verb-help.js';
export * from './client-json.js';
export { serverThreadpoolSet, serverClientsSet, daemonTimeout, daemonLogFilters, daemonLogOutputs, clientDisconnect, serverUpdateTls };

export const VERBS: readonly Verb[] = [
  helpVerb(() => VERBS, (name) => findVerb(name)),
  uri, version, serverList, serverThreadpoolInfo, serverThreadpoolSet, clientList, clientInfo, clientDisconnect,
  serverClientsInfo, serverClientsSet, serverUpdateTls, daemonLogFilters, daemonLogOutputs, daemonTimeout,
];

export function findVerb(name: string): Verb | undefined {
  return VERBS.find((v) => v.name === name || v.aliases.includes(name));
}
