/**
 * The real virsh as a long-lived client: its interactive shell connects at
 * start and keeps the connection while its stdin stays open, so a daemon's
 * client list shows virsh's own process behind it.
 */
import { spawn } from 'node:child_process';
import { asUser } from './tools.js';

export interface HeldVirsh {
  pid: number;
  output(): string;
  stop(): void;
}

export function holdVirsh(uri: string, user: string | undefined, env: Record<string, string>): HeldVirsh {
  const [file, argv] = asUser('virsh', ['-q', '-c', uri], user, env);
  const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  return {
    // setpriv and env exec in place: this is virsh's own pid.
    pid: child.pid!,
    output: () => out,
    stop: () => {
      child.stdin.end();
      child.kill('SIGTERM');
    },
  };
}
