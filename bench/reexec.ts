/**
 * The helpers' re-exec pause, ours beside libvirt's: each side is a real
 * libvirtd running the counter guest (test/helpers/guest-host.ts), with our
 * virtlogd and virtlockd or libvirt's. Rounds alternate between the sides;
 * each round re-executes one helper while the guest writes and measures the
 * pause (SIGUSR1 to its admin socket answering again) and, for virtlogd, the
 * longest stall of the guest's log on disk.
 */
import { join } from 'node:path';
import { domainXml, type GuestHost, type Helper, startGuestHost } from '../test/helpers/guest-host.js';
import { REPO_ROOT } from '../test/helpers/tools.js';
import { writeFileSync } from 'node:fs';

const ROUNDS = Number(process.env.BENCH_REEXEC_ROUNDS ?? 5);
const PROBE = join(REPO_ROOT, 'dist', 'bench', 'reexec-probe.js');

interface Sample {
  pauseMs: number;
  stallMs: number;
  quietMs: number;
}

async function hostWithGuest(helpers: 'ours' | 'libvirt'): Promise<{ host: GuestHost; serial: string }> {
  // Large files: no rollover in a round, so the log's size only grows.
  const host = await startGuestHost({ helpers, virtlogdConf: 'max_size = 67108864\nmax_backups = 1\n' });
  const serial = join(host.dir, 'logs', 'bench.log');
  const xml = join(host.dir, 'bench.xml');
  writeFileSync(xml, domainXml(host, { name: 'bench', serialLog: serial, append: false }), { mode: 0o644 });
  for (const args of [['define', xml], ['start', 'bench']]) {
    const r = await host.virsh(args);
    if (r.code !== 0) throw new Error(`virsh ${args.join(' ')} (${helpers} helpers): ${r.stderr}`);
  }
  return { host, serial };
}

async function round(host: GuestHost, helper: Helper, serial: string): Promise<Sample> {
  const pid = host.helpers[helper].pid;
  const r = await host.run(process.execPath, [PROBE, join(host.runtimeDir, `${helper}-admin-sock`), String(pid), serial], 30000);
  if (r.code !== 0) throw new Error(`re-exec probe on ${helper}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);

export async function reexecPause(): Promise<void> {
  const sides = { ours: await hostWithGuest('ours'), libvirt: await hostWithGuest('libvirt') };
  try {
    const samples: Record<string, Sample[]> = {};
    for (let i = 0; i < ROUNDS; i++) {
      for (const helper of ['virtlogd', 'virtlockd'] as const) {
        for (const side of ['ours', 'libvirt'] as const) {
          const { host, serial } = sides[side];
          (samples[`${side} ${helper}`] ??= []).push(await round(host, helper, serial));
        }
      }
    }
    console.log(`\nvirtlogd/virtlockd re-exec on SIGUSR1 while a TCG guest writes ~100 KB/s through virtlogd; ${ROUNDS} rounds, alternating ours and libvirt's 9.0\n`);
    const ms = (v: number) => `${v.toFixed(1)}ms`.padStart(9);
    console.log(`${'measure'.padEnd(60)} ${'virtd'.padStart(9)} ${'libvirt'.padStart(9)}  libvirt/virtd`);
    const line = (label: string, pick: (s: Sample[]) => number, helper: Helper) => {
      const ours = pick(samples[`ours ${helper}`]!);
      const theirs = pick(samples[`libvirt ${helper}`]!);
      console.log(`${label.padEnd(60)} ${ms(ours)} ${ms(theirs)}  ${(theirs / ours).toFixed(2).padStart(6)}x`);
    };
    for (const helper of ['virtlogd', 'virtlockd'] as const) {
      line(`${helper}: SIGUSR1 to admin answering (median)`, (s) => median(s.map((x) => x.pauseMs)), helper);
      line(`${helper}: SIGUSR1 to admin answering (max)`, (s) => max(s.map((x) => x.pauseMs)), helper);
    }
    line('guest log: longest stall across a virtlogd re-exec (median)', (s) => median(s.map((x) => x.stallMs)), 'virtlogd');
    line('guest log: longest stall across a virtlogd re-exec (max)', (s) => max(s.map((x) => x.stallMs)), 'virtlogd');
    line('guest log: longest stall in 1 s without a re-exec (max)', (s) => max(s.map((x) => x.quietMs)), 'virtlogd');
  } finally {
    await sides.ours.host.stop();
    await sides.libvirt.host.stop();
  }
}
