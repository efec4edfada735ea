/**
 * A host as an operator sets one up for the helper daemons' real client
 * (libvirtd-qemu-guest facts, copied into the README): Debian's libvirtd 9.0
 * in session mode as the unprivileged test user, `lock_manager = "lockd"`,
 * with OUR virtlogd and virtlockd on that user's session sockets, and a TCG
 * guest built here from test/fixtures/guest/counter.asm (nasm), writing a
 * counter to COM1 through virtlogd. Everything lives in one temp dir.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asUser, ensureTestUser, REPO_ROOT, runTool, type TestUser, type ToolResult, VIRTD_BIN } from './tools.js';
import { until } from './until.js';

export type Helper = 'virtlogd' | 'virtlockd';

export interface HostDaemon {
  name: string;
  child: ChildProcess;
  pid: number;
  output(): string;
  exited(): boolean;
}

export interface GuestHost {
  dir: string;
  env: Record<string, string>;
  user: TestUser;
  runtimeDir: string;
  disk: string;
  helpers: Record<Helper, HostDaemon>;
  libvirtd: HostDaemon;
  /** The domain log libvirtd asks virtlogd to keep. */
  domainLog(name: string): string;
  virsh(args: string[], timeoutMs?: number): Promise<ToolResult>;
  virtAdmin(helper: Helper | 'libvirtd', args: string[]): Promise<ToolResult>;
  run(cmd: string, args: string[], timeoutMs?: number): Promise<ToolResult>;
  /** Writes a config file under $XDG_CONFIG_HOME/libvirt, owned by the test user. */
  writeConfig(name: string, text: string): void;
  stop(): Promise<void>;
}

export interface DomainSpec {
  name: string;
  serialLog: string;
  append: boolean;
}

/**
 * A guest on the shared disk. QEMU's own image locking would refuse a second
 * guest on the same disk before the lock manager is asked (libvirt takes the
 * lease when the vCPUs start, after QEMU opened the disk), so the disk's
 * frontend shares writes (share-rw) and virtlockd's lease is what decides.
 */
export function domainXml(host: GuestHost, d: DomainSpec): string {
  return `<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>${d.name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${host.disk}'/><target dev='hda' bus='ide'/></disk>
    <serial type='null'><log file='${d.serialLog}' append='${d.append ? 'on' : 'off'}'/><target port='0'/></serial>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='none'/></video>
    <memballoon model='none'/>
  </devices>
  <qemu:override>
    <qemu:device alias='ide0-0-0'><qemu:frontend><qemu:property name='share-rw' type='bool' value='true'/></qemu:frontend></qemu:device>
  </qemu:override>
</domain>
`;
}

function startDaemon(name: string, cmd: string, args: string[], user: TestUser, env: Record<string, string>): HostDaemon {
  const [file, argv] = asUser(cmd, args, user.name, env);
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let done = false;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.on('exit', () => (done = true));
  // setpriv and env exec in place: the child's pid is the daemon's.
  return { name, child, pid: child.pid!, output: () => out, exited: () => done };
}

async function waitForSocket(d: HostDaemon, path: string): Promise<void> {
  await until(() => d.exited() || existsSocket(path), { timeoutMs: 20000, message: `${d.name} socket ${path}` });
  if (d.exited()) throw new Error(`${d.name} exited at start:\n${d.output()}`);
}

function existsSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

/** The boot sector, assembled from its source for this run. */
function buildDisk(dir: string): string {
  const disk = join(dir, 'disk.img');
  execFileSync('nasm', ['-f', 'bin', '-o', disk, join(REPO_ROOT, 'test', 'fixtures', 'guest', 'counter.asm')]);
  if (statSync(disk).size !== 512) throw new Error('the boot sector is not 512 bytes');
  return disk;
}

export interface GuestHostOptions {
  virtlogdConf: string;
  /** Whose virtlogd and virtlockd serve libvirtd: ours (the tests), or libvirt's (the bench's reference). */
  helpers?: 'ours' | 'libvirt';
}

export async function startGuestHost(opts: GuestHostOptions): Promise<GuestHost> {
  const user = ensureTestUser();
  const dir = mkdtempSync(join(tmpdir(), 'virtd-guest-'));
  const env: Record<string, string> = {
    HOME: join(dir, 'home'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_DATA_HOME: join(dir, 'data'),
  };
  for (const d of ['home', 'run', 'config', 'config/libvirt', 'cache', 'data', 'logs']) mkdirSync(join(dir, d), { mode: 0o700 });
  const disk = buildDisk(dir);
  const own = (p: string) => chownSync(p, user.uid, user.gid);
  for (const d of ['', 'home', 'run', 'config', 'config/libvirt', 'cache', 'data', 'logs', 'disk.img']) own(join(dir, d));
  const writeConfig = (name: string, text: string) => {
    const p = join(dir, 'config', 'libvirt', name);
    writeFileSync(p, text);
    own(p);
  };
  writeConfig('qemu.conf', 'lock_manager = "lockd"\n');
  writeConfig('virtlogd.conf', opts.virtlogdConf);
  const runtimeDir = join(dir, 'run', 'libvirt');
  const started: HostDaemon[] = [];
  const stop = async () => {
    for (const d of [...started].reverse()) {
      if (!d.exited()) d.child.kill('SIGTERM');
      await until(() => d.exited(), { timeoutMs: 15000, message: `${d.name} to exit` }).catch(() => d.child.kill('SIGKILL'));
    }
    // libvirtd stops its guests' QEMU only on request; anything of ours left is killed by pid.
    for (const pid of qemuPids(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const helper = (name: Helper) => {
      const d =
        opts.helpers === 'libvirt'
          ? startDaemon(name, `/usr/sbin/${name}`, ['--verbose'], user, env)
          : startDaemon(name, process.execPath, [VIRTD_BIN, name, '--verbose'], user, env);
      started.push(d);
      return d;
    };
    const helpers = { virtlogd: helper('virtlogd'), virtlockd: helper('virtlockd') };
    // The helpers listen first: libvirtd would otherwise spawn /usr/sbin/virtlogd itself.
    await waitForSocket(helpers.virtlogd, join(runtimeDir, 'virtlogd-admin-sock'));
    await waitForSocket(helpers.virtlockd, join(runtimeDir, 'virtlockd-admin-sock'));
    const libvirtd = startDaemon('libvirtd', '/usr/sbin/libvirtd', [], user, env);
    started.push(libvirtd);
    await waitForSocket(libvirtd, join(runtimeDir, 'libvirt-admin-sock'));
    const run = (cmd: string, args: string[], timeoutMs?: number) => runTool(cmd, args, { user: user.name, env, timeoutMs });
    const adminSock = (d: string) => join(runtimeDir, d === 'libvirtd' ? 'libvirt-admin-sock' : `${d}-admin-sock`);
    return {
      dir,
      env,
      user,
      runtimeDir,
      disk,
      helpers,
      libvirtd,
      domainLog: (name) => join(dir, 'cache', 'libvirt', 'qemu', 'log', `${name}.log`),
      virsh: (args, timeoutMs = 60000) => run('virsh', ['-c', `qemu:///session?socket=${join(runtimeDir, 'libvirt-sock')}`, ...args], timeoutMs),
      virtAdmin: (d, args) => run('virt-admin', ['-c', `${d === 'libvirtd' ? 'libvirtd' : d}:///session?socket=${adminSock(d)}`, ...args]),
      run,
      writeConfig,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Sends SIGUSR1 to a helper and waits until its new image says it took over. */
export async function reexecHelper(d: HostDaemon): Promise<void> {
  const count = () => d.output().split('re-executed in place').length;
  const before = count();
  process.kill(d.pid, 'SIGUSR1');
  await until(() => d.exited() || count() > before, { timeoutMs: 20000, message: `${d.name} to re-execute` });
  if (d.exited()) throw new Error(`${d.name} exited on SIGUSR1:\n${d.output()}`);
}

/** The kinds of descriptors a process has open (sockets, pipes, eventfds, files), counted. */
export function descriptorKinds(pid: number): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const kind = target.replace(/^(socket|pipe):\[\d+\]$/, '$1').replace(/^anon_inode:\[?([a-z_]+)\]?$/, '$1');
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

/** QEMU processes whose command line names something in `dir` (this host's guests only). */
export function qemuPids(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readlinkSync(`/proc/${entry}/exe`).includes('qemu-system')) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/**
 * libvirt's own helper binaries running for this runtime dir: there must be none,
 * or a test could pass on libvirt's virtlogd/virtlockd instead of ours.
 */
export function libvirtHelpersFor(runtimeDir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = readlinkSync(`/proc/${entry}/exe`);
      if (exe !== '/usr/sbin/virtlogd' && exe !== '/usr/sbin/virtlockd') continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(runtimeDir.replace(/\/libvirt$/, ''))) found.push(`${exe} pid ${entry}`);
    } catch {
      // gone
    }
  }
  return found;
}

/** The POSIX locks /proc/locks shows on `path`'s inode, with the pid holding each. */
export function posixLocksOn(path: string): { pid: number; type: string }[] {
  const ino = statSync(path).ino;
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === 'POSIX' && f[5]?.endsWith(`:${ino}`))
    .map((f) => ({ pid: Number(f[4]), type: f[3]! }));
}
