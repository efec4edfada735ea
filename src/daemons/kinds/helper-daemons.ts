/**
 * The helper daemons (daemons.md §10, §11): virtlogd keeps QEMU's logs,
 * virtlockd holds disk leases. Both run in system and session mode with a
 * main and an admin socket, and re-execute themselves on SIGUSR1 keeping
 * what they hold.
 */
import type { HelperDaemonConfig } from '../config/index.js';
import { LockManager } from '../lockd/lock-manager.js';
import { LogHandler } from '../logd/log-handler.js';
import { createLockdProgram } from '../programs/lockd/lockd-program.js';
import { createLogdProgram } from '../programs/logd/logd-program.js';
import type { DaemonKind, HelperDuties, MainProgramContext } from './daemon-kind.js';

function helper(name: string, description: string, duties: (ctx: MainProgramContext) => HelperDuties): DaemonKind {
  return { name, socketPrefix: name, modes: ['system', 'session'], ip: false, helper: true, description, drivers: () => [], duties };
}

const uuidText = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export const virtlogd = helper('virtlogd', 'libvirt log management daemon', ({ config, logger, daemon, mode }) => {
  const c = config as HelperDaemonConfig;
  const logs = new LogHandler({ maxSize: c.maxSize, maxBackups: c.maxBackups }, logger);
  // A session virtlogd with open log files stays up: a guest is still writing (daemons.md §10.1).
  if (mode === 'session') daemon.inhibitsShutdown = () => logs.openCount > 0;
  return {
    program: createLogdProgram(logs),
    report: () => ({ logs: logs.list().map((l) => ({ path: l.path, size: l.size, driver: l.driver, domain: { name: l.domain.name, uuid: uuidText(l.domain.uuid) } })) }),
    flush: () => logs.flushAll(),
    handOver: () => ({ logs: logs.handOver() }),
    resume: () => logs.resume(),
    takeOver: (saved) => logs.adopt(saved.logs ?? []),
  };
});

export const virtlockd = helper('virtlockd', 'libvirt lock management daemon', ({ logger }) => {
  const locks = new LockManager();
  return {
    program: createLockdProgram(locks, logger),
    report: () => ({
      leases: locks.lockspaces().flatMap((ls) =>
        ls.resources.map((r) => ({ lockspace: ls.directory, resource: r.name, path: r.path, shared: r.shared, owners: [...r.owners] })),
      ),
    }),
    // A lease is a lock held by this process: nothing is waiting to be written.
    flush: () => {},
    handOver: () => ({ lockspaces: locks.lockspaces() }),
    resume: () => {},
    takeOver: (saved) => locks.adopt(saved.lockspaces ?? []),
  };
});
