/**
 * `npm start` / `virt-admin-tui --demo`: our libvirtd started in session mode
 * in a temporary runtime directory, with live clients coming and going, all
 * stopped and removed on exit. Nothing outside the temporary directory is
 * touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClientChurn } from './client-churn.js';

export interface Demo {
  /** The admin URI of the demo's libvirtd. */
  uri: string;
  runtimeDir: string;
  stop(): Promise<void>;
}

const VIRTD = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'virtd.js');

async function waitFor(path: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (child.exitCode !== null) throw new Error(`the demo daemon exited with status ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`the demo daemon did not create ${path} in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startDemo(): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), 'virt-admin-tui-demo-'));
  const env = { ...process.env, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache'), LIBVIRT_LOG_OUTPUTS: `3:file:${join(dir, 'libvirtd.log')}` };
  const child = spawn(process.execPath, [VIRTD, 'libvirtd', '--mode', 'session'], { env, stdio: 'ignore' });
  const runtimeDir = join(dir, 'libvirt');
  const adminSocket = join(runtimeDir, 'libvirt-admin-sock');
  try {
    await waitFor(adminSocket, child, 5000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const churn = new ClientChurn({ mainSocket: join(runtimeDir, 'libvirt-sock'), population: 8, maxLifetimeMs: 20000 });
  churn.start();
  return {
    uri: `libvirtd:///session?socket=${adminSocket}`,
    runtimeDir,
    async stop() {
      churn.stop();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
