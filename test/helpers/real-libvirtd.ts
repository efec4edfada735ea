/** Debian's real libvirtd 9.0, in session mode as an unprivileged user (root would mean system mode). */
import { type DaemonUnderTest, launchDaemon } from './daemon-under-test.js';
import { ensureTestUser, type TestUser } from './tools.js';

export function startRealLibvirtd(opts: { config?: string; args?: string[]; tcpPorts?: number[]; tcpHost?: string; env?: Record<string, string>; user?: TestUser } = {}): Promise<DaemonUnderTest> {
  return launchDaemon({
    cmd: '/usr/sbin/libvirtd',
    args: opts.args ?? [],
    user: opts.user ?? ensureTestUser(),
    config: opts.config === undefined ? undefined : { name: 'libvirtd.conf', text: opts.config },
    tcpPorts: opts.tcpPorts,
    tcpHost: opts.tcpHost,
    extraEnv: opts.env,
    mainName: 'libvirt-sock',
    adminName: 'libvirt-admin-sock',
  });
}
