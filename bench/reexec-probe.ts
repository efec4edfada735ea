/**
 * Run as the helper daemon's user (its admin socket admits only that uid):
 * one re-exec, measured. Watches the guest's serial log for a while, sends
 * SIGUSR1 to the daemon, waits for the exec, and asks its admin socket
 * (CONNECT_OPEN) until the new image answers; keeps watching the log for a
 * second after. Prints JSON:
 * pauseMs (SIGUSR1 to the admin socket answering again), stallMs (the
 * longest time the log did not change around the re-exec) and quietMs (the
 * longest such time before it, for comparison).
 *     node reexec-probe.js ADMIN_SOCKET PID SERIAL_LOG
 */
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { Admin, decodeHeader, encodeCall, MessageStatus, PacketReader, Program, PROGRAM_VERSION } from '../src/rpc/index.js';

const [adminSocket, pidText, serialLog] = process.argv.slice(2) as [string, string, string];
const pid = Number(pidText);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The log's size, sampled every millisecond; the longest time it stayed the same in a window. */
class LogWatch {
  #last = -1;
  #since = performance.now();
  #longest = 0;
  readonly #timer = setInterval(() => this.#sample(), 1);

  #sample(): void {
    let size = -1;
    try {
      size = statSync(serialLog).size;
    } catch {
      // between a rollover's rename and the new file
    }
    const now = performance.now();
    if (size !== this.#last) {
      this.#longest = Math.max(this.#longest, now - this.#since);
      this.#last = size;
      this.#since = now;
    }
  }

  /** The longest unchanged stretch since the last call, and starts a new window. */
  window(): number {
    this.#sample();
    const longest = Math.max(this.#longest, performance.now() - this.#since);
    this.#longest = 0;
    return longest;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** One CONNECT_OPEN on a fresh connection; true once the daemon answers OK. */
function adminAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(adminSocket);
    const reader = new PacketReader();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('error', () => done(false));
    s.once('close', () => done(false));
    s.once('connect', () => s.write(encodeCall(Program.Admin, PROGRAM_VERSION, Admin.connectOpen.proc, 1, Admin.connectOpen.args, { flags: 0 })));
    s.on('data', (chunk: Buffer) => {
      const [frame] = reader.push(chunk);
      if (frame) done(decodeHeader(frame).status === MessageStatus.Ok);
    });
  });
}

/**
 * Where the process's stack starts (/proc/PID/stat field 28): a new image gets
 * a new one (address space randomization), which tells that the exec happened
 * and an answer from then on comes from the new image.
 */
function stackStart(): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[25]!;
}

const watch = new LogWatch();
await sleep(1000);
const quietMs = watch.window();
const oldImage = stackStart();
const t0 = performance.now();
process.kill(pid, 'SIGUSR1');
while (stackStart() === oldImage) await sleep(0.2);
while (!(await adminAnswers())) await sleep(1);
const pauseMs = performance.now() - t0;
await sleep(1000);
const stallMs = watch.window();
watch.stop();
process.stdout.write(JSON.stringify({ pauseMs, stallMs, quietMs }) + '\n');
