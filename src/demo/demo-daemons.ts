/**
 * `npm start` / `virt-admin-tui --demo`: some of our daemons (libvirtd,
 * virtqemud, virtsecretd, virtlogd) started in session mode in a temporary runtime
 * directory, with live clients coming and going, all stopped and removed on exit. Nothing outside the temporary directory is
 * touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { ClientChurn } from './client-churn.js';

export interface Demo {
  /** The admin URI of the demo's libvirtd. */
  uri: string;
  runtimeDir: string;
  stop(): Promise<void>;
}

/** The daemons' executable as installed (bundled, with its Node options on the #! line). */
const VIRTD = join(packageRoot(), 'dist', 'bin', 'virtd.js');

async function waitFor(path: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (child.exitCode !== null) throw new Error(`the demo daemon exited with status ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`the demo daemon did not create ${path} in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The daemons the demo runs, all in session mode: the monolithic one the console attaches to, two modular ones, and a helper. */
const DEMO_DAEMONS = [
  { name: 'libvirtd', prefix: 'libvirt', clients: 8 },
  { name: 'virtqemud', prefix: 'virtqemud', clients: 3 },
  { name: 'virtsecretd', prefix: 'virtsecretd', clients: 0 },
  { name: 'virtlogd', prefix: 'virtlogd', clients: 0 },
] as const;

export async function startDemo(): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), 'virt-admin-tui-demo-'));
  const runtimeDir = join(dir, 'libvirt');
  const children: ChildProcess[] = [];
  const churns: ClientChurn[] = [];
  const stop = async () => {
    for (const c of churns) c.stop();
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const d of DEMO_DAEMONS) {
      const env = { ...process.env, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache'), LIBVIRT_LOG_OUTPUTS: `3:file:${join(dir, `${d.name}.log`)}` };
      const child = spawn(VIRTD, [d.name, '--mode', 'session'], { env, stdio: 'ignore' });
      children.push(child);
      await waitFor(join(runtimeDir, `${d.prefix}-admin-sock`), child, 5000);
      if (d.clients > 0) {
        const churn = new ClientChurn({ mainSocket: join(runtimeDir, `${d.prefix}-sock`), population: d.clients, maxLifetimeMs: 20000 });
        churn.start();
        churns.push(churn);
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { uri: `libvirtd:///session?socket=${join(runtimeDir, 'libvirt-admin-sock')}`, runtimeDir, stop };
}
