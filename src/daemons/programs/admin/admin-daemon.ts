/**
 * Admin procedures about the daemon as a whole: open/close, library version,
 * logging settings, auto-shutdown timeout (admin-api.md §3, §3.6, §3.8).
 */
import { Admin, LIBVIRT_VERSION } from '../../../rpc/index.js';
import { type Daemon, entry, type ProcedureEntry } from '../../runtime/index.js';
import { checkNoFlags } from './admin-lookup.js';

export function daemonProcedures(daemon: Daemon): ProcedureEntry[] {
  const logger = daemon.logger;
  return [
    // The admin server keeps no per-connection state: open may be repeated (admin-api.md §1).
    entry(Admin.connectOpen, ({ flags }) => checkNoFlags(flags, 'adminDispatchConnectOpen')),
    entry(Admin.connectClose, (_args, ctx) => ctx.closeAfterReply()),
    entry(Admin.connectGetLibVersion, () => ({ libVer: BigInt(LIBVIRT_VERSION) })),

    entry(Admin.connectGetLoggingOutputs, ({ flags }) => {
      checkNoFlags(flags, 'adminConnectGetLoggingOutputs');
      return { outputs: logger.outputsText(), noutputs: logger.noutputs };
    }),
    entry(Admin.connectGetLoggingFilters, ({ flags }) => {
      checkNoFlags(flags, 'adminConnectGetLoggingFilters');
      return { filters: logger.filtersText(), nfilters: logger.nfilters };
    }),
    entry(Admin.connectSetLoggingOutputs, ({ outputs, flags }) => {
      checkNoFlags(flags, 'adminConnectSetLoggingOutputs');
      logger.setOutputs(outputs);
      daemon.settingsChanged({ what: 'logging' });
    }),
    entry(Admin.connectSetLoggingFilters, ({ filters, flags }) => {
      checkNoFlags(flags, 'adminConnectSetLoggingFilters');
      logger.setFilters(filters);
      daemon.settingsChanged({ what: 'logging' });
    }),

    entry(Admin.connectSetDaemonTimeout, ({ timeout, flags }) => {
      checkNoFlags(flags, 'adminConnectSetDaemonTimeout');
      daemon.setTimeout(timeout);
      daemon.settingsChanged({ what: 'timeout' });
    }),
  ];
}
