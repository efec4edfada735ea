/**
 * The LXC driver's connection-level facts: lxc:///system, and as its version
 * the host kernel's release, which is what libvirt's LXC driver reports.
 */
import { release } from 'node:os';
import { ErrorCode, ErrorDomain, errorsFrom } from '../../../rpc/index.js';
import type { ConnectionDriver } from '../../programs/remote/connection-driver.js';

const fail = errorsFrom(ErrorDomain.Lxc);

/** "6.1.0-28-amd64" -> 6001000. */
export function parseKernelRelease(text: string): number | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? Number(m[1]) * 1_000_000 + Number(m[2]) * 1_000 + Number(m[3] ?? 0) : undefined;
}

export function createLxcDriver(): ConnectionDriver {
  return {
    scheme: 'lxc',
    type: 'LXC',
    checkUri(uri, mode) {
      // LXC runs privileged only; lxc:/// is accepted as the system URI, as libvirt does.
      if (mode !== 'system' || (uri.pathname !== '/system' && uri.pathname !== '/' && uri.pathname !== '')) {
        throw fail(ErrorCode.InternalError, `unexpected LXC URI path '${uri.pathname}', try lxc:///system`);
      }
    },
    async version() {
      const v = parseKernelRelease(release());
      if (v === undefined) throw fail(ErrorCode.InternalError, `Unknown release: ${release()}`);
      return v;
    },
  };
}
