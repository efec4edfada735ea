/**
 * Our libvirtd and Debian's, side by side with the same configuration, each
 * as the unprivileged test user in session mode on its own TCP ports: the
 * shape of every referee test that needs sockets beyond the UNIX ones.
 */
import type { DaemonUnderTest } from './daemon-under-test.js';
import { freePort } from './free-port.js';
import { startRealLibvirtd } from './real-libvirtd.js';
import { startVirtd } from './virtd.js';

export interface Side {
  name: 'ours' | 'libvirtd';
  d: DaemonUnderTest;
  /** The TCP ports its config gave it, in the order asked for. */
  ports: number[];
}

export interface PairOptions {
  /** The config for a daemon listening on these ports. */
  config: (ports: number[]) => string;
  /** How many TCP ports each daemon needs (all must accept before the daemon counts as started). */
  ports?: number;
  env?: Record<string, string>;
  /** Pass --listen (TCP and TLS as configured). */
  listen?: boolean;
  /** Where the ports listen (listen_addr), when not 127.0.0.1. */
  tcpHost?: string;
}

/** Starts both; if either fails, the other is stopped and the failure thrown. */
export async function startPair(opts: PairOptions): Promise<[Side, Side]> {
  const take = async () => Promise.all(Array.from({ length: opts.ports ?? 0 }, () => freePort()));
  const [oursPorts, realPorts] = [await take(), await take()];
  const args = opts.listen ? ['--listen'] : [];
  const started = await Promise.allSettled([
    startVirtd('libvirtd', { config: opts.config(oursPorts), args, asTestUser: true, tcpPorts: oursPorts, tcpHost: opts.tcpHost, env: opts.env }),
    startRealLibvirtd({ config: opts.config(realPorts), args, tcpPorts: realPorts, tcpHost: opts.tcpHost, env: opts.env }),
  ]);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [ours, real] = started.map((s) => (s as PromiseFulfilledResult<DaemonUnderTest>).value) as [DaemonUnderTest, DaemonUnderTest];
  return [
    { name: 'ours', d: ours, ports: oursPorts },
    { name: 'libvirtd', d: real, ports: realPorts },
  ];
}

export async function stopPair(pair: readonly Side[] | undefined): Promise<void> {
  await Promise.all((pair ?? []).map((s) => s.d.stop()));
}
