/**
 * The QEMU driver's connection-level facts: it serves qemu:///system and
 * qemu:///session, and reports the version of the QEMU emulator it finds for
 * the host architecture, as libvirt does. We run no guests; the version is
 * the real one of the installed emulator, probed once, on first request (so
 * start-up stays fast).
 */
import { arch } from 'node:os';
import { ErrorCode, ErrorDomain, errorsFrom } from '../../../rpc/index.js';
import type { ConnectionDriver } from '../../programs/remote/connection-driver.js';

const fail = errorsFrom(ErrorDomain.Qemu);

/** Node's arch names to QEMU's. */
const QEMU_ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', ppc64: 'ppc64le', s390x: 's390x' };

export function hostQemuArch(): string {
  return QEMU_ARCH[arch()] ?? arch();
}

/** "QEMU emulator version 7.2.19 (Debian ...)" -> 7002019. */
export function parseQemuVersion(text: string): number | undefined {
  const m = /version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 1_000_000 + Number(m[2]) * 1_000 + Number(m[3] ?? 0);
}

/** node:child_process loads on the first probe, not at every daemon's start. */
async function probe(binary: string): Promise<number | undefined> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: 5000 }, (err, stdout) => resolve(err ? undefined : parseQemuVersion(stdout)));
  });
}

export function createQemuDriver(): ConnectionDriver {
  let version: Promise<number | undefined> | undefined;
  const qemuArch = hostQemuArch();
  return {
    scheme: 'qemu',
    type: 'QEMU',
    checkUri(uri, mode) {
      const path = uri.pathname;
      if (path !== `/${mode}`) {
        throw fail(ErrorCode.InternalError, `unexpected QEMU URI path '${path}', try qemu:///${mode}`);
      }
    },
    async version() {
      version ??= probe(`qemu-system-${qemuArch}`);
      const v = await version;
      if (v === undefined) {
        version = undefined; // an emulator installed later is found on the next call
        throw fail(ErrorCode.InternalError, `Cannot find suitable emulator for ${qemuArch}`);
      }
      return v;
    },
  };
}
