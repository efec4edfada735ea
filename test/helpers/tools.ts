/**
 * Running the real tools (virt-admin, virsh, libvirtd, our binaries), as root
 * or as an unprivileged test user, without ever hanging a test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ToolResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  user?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  input?: string;
}

/** The repository root (dist/test/helpers -> three levels up). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The daemons' executable as it ships: bundled into one file, Node's options on its #! line. */
export const VIRTD_BIN = join(REPO_ROOT, 'dist', 'bin', 'virtd.js');
export const TUI_BIN = join(REPO_ROOT, 'dist', 'src', 'bin', 'virt-admin-tui.js');

const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The command line that runs `cmd` as `user` with exactly `env` (a clean environment).
 * setpriv switches ids without a PAM session, so the process keeps our resource limits
 * (runuser's pam_limits would cut open files to 1024 and starve a daemon under load).
 */
export function asUser(cmd: string, args: string[], user: string | undefined, env: Record<string, string>): [string, string[]] {
  const envArgs = Object.entries({ PATH: BASE_PATH, LANG: 'C.UTF-8', ...env }).map(([k, v]) => `${k}=${v}`);
  if (!user) return ['env', ['-i', ...envArgs, cmd, ...args]];
  return ['setpriv', ['--reuid', user, '--regid', user, '--init-groups', 'env', '-i', ...envArgs, cmd, ...args]];
}

export function runTool(cmd: string, args: string[], opts: ToolOptions = {}): Promise<ToolResult> {
  const [file, argv] = asUser(cmd, args, opts.user, opts.env ?? {});
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timeoutMs = opts.timeoutMs ?? 15000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A tool that exits before reading its input closes the pipe: that is its business, not a crash here.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * A local user `name`, created with `useradd -M -d /nonexistent` and `extra` options when
 * missing; safe when several test processes race to create it (useradd exit 9).
 */
export function ensureUser(name: string, extra: string[]): TestUser {
  const lookup = (): TestUser | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { name, uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['-M', '-d', '/nonexistent', ...extra, name], { stdio: 'ignore' });
  } catch {
    // Another test process created it first: fine if it now exists.
  }
  const created = lookup();
  if (!created) throw new Error(`could not create the test user ${name}`);
  return created;
}

/**
 * An unprivileged user for running real libvirtd in session mode and for
 * uid checks. Created once.
 */
export function ensureTestUser(name = 'virttest'): TestUser {
  return ensureUser(name, ['-s', '/usr/sbin/nologin']);
}
