/**
 * Live clients for the demo: connections to a daemon's main socket that open
 * a qemu:///session connection as virsh does, stay a while, and leave, so the
 * console has something real to show and disconnect.
 */
import { connect, type Socket } from 'node:net';
import { encodeCall, PacketReader, Program, PROGRAM_VERSION, Remote, voidCodec } from '../rpc/index.js';

export interface ChurnOptions {
  mainSocket: string;
  /** Clients kept around at any time, roughly. */
  population: number;
  /** How long a client stays, at most. */
  maxLifetimeMs: number;
}

export class ClientChurn {
  readonly #sockets = new Set<Socket>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(private readonly opts: ChurnOptions) {}

  start(): void {
    const tick = () => {
      if (this.#stopped) return;
      if (this.#sockets.size < this.opts.population) this.#spawn();
      this.#timer = setTimeout(tick, 300 + Math.random() * 900);
    };
    for (let i = 0; i < Math.ceil(this.opts.population / 2); i++) this.#spawn();
    tick();
  }

  #spawn(): void {
    const s = connect(this.opts.mainSocket);
    this.#sockets.add(s);
    const reader = new PacketReader();
    s.on('data', (chunk: Buffer) => void reader.push(chunk));
    s.on('error', () => {});
    s.on('close', () => this.#sockets.delete(s));
    s.once('connect', () => {
      // What a real client sends first: AUTH_LIST, then CONNECT_OPEN for its URI.
      s.write(encodeCall(Program.Remote, PROGRAM_VERSION, Remote.authList.proc, 0, voidCodec, undefined));
      s.write(encodeCall(Program.Remote, PROGRAM_VERSION, Remote.connectOpen.proc, 1, Remote.connectOpen.args, { name: 'qemu:///session', flags: 0 }));
    });
    const life = setTimeout(() => s.end(), 2000 + Math.random() * this.opts.maxLifetimeMs);
    life.unref();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const s of this.#sockets) s.destroy();
  }
}
