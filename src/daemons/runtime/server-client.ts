/**
 * ServerClient: one accepted connection. It cuts the byte stream into frames,
 * hands them to its owner (the Server) through `onFrame`, writes replies, and
 * stops reading while the client has max_client_requests frames unanswered
 * (the bytes wait in the kernel, as with libvirt).
 *
 * Every frame taken from the stream counts until its answer has been written
 * to the kernel, whatever the answer is: a reply, an error for an unknown
 * program or an unauthenticated call, a PONG, or nothing at all. So a client
 * that writes and never reads stops being read once its answers back up,
 * and the daemon holds at most max_client_requests answers for it. Output
 * nobody asked for (events) is bounded separately: a client that leaves more
 * than MAX_UNREAD_EVENT_BYTES unread is dropped rather than buffered for.
 * Once a SASL mechanism with a security layer authenticated the client, a
 * SecurityLayer sits between the socket and the frames (startSecurityLayer):
 * every byte read is decoded and every byte written encoded, the bounds above
 * unchanged. It reports upward only through the callbacks its owner sets.
 */
import type { Socket } from 'node:net';
import { type AuthType, ClientTransport, PacketReader, PING_FRAME, ProtocolViolation } from '../../rpc/index.js';
import { type ClientIdentity, connectionIdentity } from './client-identity.js';
import { Deadline } from './deadline.js';
import { KeepaliveTimer, type KeepaliveSettings } from './keepalive.js';
import type { PeerCredentials } from './peer-credentials.js';
import { passFds } from './fd-passing.js';
import { restartReading, stopReading } from './socket-reading.js';
import type { SecurityLayer } from './sasl-layer.js';

/** Ends a turn's batch of replies (see ServerClient.send): a module function, not a closure per send. */
function uncork(socket: Socket): void {
  socket.uncork();
}

/** Why a client was disconnected by its own connection. */
export type DropReason = 'events' | 'packet' | 'auth' | 'layer';

/** Unsolicited output (events) a client may leave unread before it is dropped. */
export const MAX_UNREAD_EVENT_BYTES = 256 * 1024;
/** How long a closing connection may take to hand its last replies to a peer that does not read them. */
const CLOSE_FLUSH_TIMEOUT_MS = 10_000;

/**
 * What a client reports to the server that owns it. One object per server, not closures per
 * client: a daemon holds thousands of idle clients, and each closure is memory.
 */
export interface ClientOwner {
  frameReceived(client: ServerClient, frame: Buffer): void;
  clientAuthenticated(client: ServerClient): void;
  clientClosed(client: ServerClient): void;
  clientDropped(client: ServerClient, reason: DropReason, detail: string): void;
}

/** For a client made without a server (tests): its own onFrame/onClose/onAuthenticated, if set. */
const STANDALONE: ClientOwner = {
  frameReceived: (c, frame) => c.onFrame?.(frame),
  clientAuthenticated: (c) => c.onAuthenticated?.(),
  clientClosed: (c) => c.onClose?.(),
  clientDropped: () => {},
};

/** The client a socket carries, for the socket handlers all clients share. */
const CLIENT = Symbol('serverClient');
type ClientSocket = Socket & { [CLIENT]: ServerClient };

export interface ServerClientOptions {
  id: number;
  /** Who hears of frames, authentication, drops and the close; without one, the client's own callbacks. */
  owner?: ClientOwner;
  socket: Socket;
  transport: ClientTransport;
  readonly: boolean;
  /** The auth type of the service it came through. */
  authType: AuthType;
  authPending: boolean;
  peer?: PeerCredentials;
  /** "IP:port" of the remote end for TCP and TLS clients. */
  sockAddr?: string;
  /** The TLS client certificate's subject (tls_x509_dname in client-info). */
  x509DName?: string;
  maxRequests: number;
  keepalive: KeepaliveSettings;
  maxPacket?: number;
  /** Our limits on slow clients, in seconds (0: none, the default; libvirt has neither). */
  packetTimeoutSec?: number;
  authTimeoutSec?: number;
  /** Seconds since the epoch of the connect, when the connection is older than this object (re-exec). */
  timestamp?: number;
}

export class ServerClient {
  readonly id: number;
  /** Seconds since the epoch, taken at accept. */
  readonly timestamp: number;
  readonly transport: ClientTransport;
  readonly peer: PeerCredentials | undefined;
  readonly sockAddr: string | undefined;
  readonly socket: Socket;
  /** Made when the client asks for keepalive: most clients never do, and each costs memory. */
  #keepalive: KeepaliveTimer | undefined;
  readonly #keepaliveSettings: KeepaliveSettings;
  readonly authType: AuthType;
  readonly: boolean;
  #authPending: boolean;
  /** libvirt creates a client's identity on its first dispatched call (admin-api.md §3.3). */
  hasIdentity = false;
  /** Counts against auto-shutdown; a console watching the daemon may ask not to (extension program). */
  holdsDaemonUp = true;
  /** TLS certificate identity, set by the TLS service. */
  x509DName: string | undefined;
  /** Whom a trusted proxy says it acts for (CONNECT_SET_IDENTITY); replaces what the connection proves. */
  forwardedIdentity: ClientIdentity | undefined;
  #ownIdentity: ClientIdentity | undefined;
  #saslUserName: string | undefined;
  #layer: SecurityLayer | undefined;

  /** Without an owner (tests): told of each frame, of the close, and of the end of authentication. */
  onFrame?: (frame: Buffer) => void;
  onClose?: () => void;
  onAuthenticated?: () => void;
  readonly #owner: ClientOwner;

  readonly #reader: PacketReader;
  readonly #pending: Buffer[] = [];
  #inFlight = 0;
  #pumping = false;
  #maxRequests: number;
  #closed = false;
  /** Running while bytes of an unfinished packet wait and we are reading (slowloris); made only when configured. */
  readonly #packetDeadline: Deadline | undefined;
  /** Running from admission until authentication completes; made only when configured. */
  readonly #authDeadline: Deadline | undefined;
  #closeListeners: (() => void)[] | undefined;
  #closeAfterFlush = false;
  /** Re-exec in preparation: frames wait instead of being dispatched. */
  #held = false;

  constructor(opts: ServerClientOptions) {
    this.id = opts.id;
    this.timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    this.transport = opts.transport;
    this.readonly = opts.readonly;
    this.authType = opts.authType;
    this.#authPending = opts.authPending;
    this.peer = opts.peer;
    this.sockAddr = opts.sockAddr;
    this.x509DName = opts.x509DName;
    this.socket = opts.socket;
    this.#maxRequests = Math.max(1, opts.maxRequests);
    this.#reader = new PacketReader(opts.maxPacket);
    this.#owner = opts.owner ?? STANDALONE;
    const packetSec = opts.packetTimeoutSec ?? 0;
    const authSec = opts.authTimeoutSec ?? 0;
    if (packetSec > 0) this.#packetDeadline = new Deadline(packetSec, () => this.#drop('packet', `client ${this.id}, ${this.#reader.pending} bytes received`));
    if (authSec > 0) this.#authDeadline = new Deadline(authSec, () => this.#drop('auth', `client ${this.id}`));
    this.#keepaliveSettings = opts.keepalive;
    (this.socket as ClientSocket)[CLIENT] = this;
    this.socket.on('data', ServerClient.#onSocketData);
    this.socket.on('error', ServerClient.#onSocketEnd);
    this.socket.on('close', ServerClient.#onSocketEnd);
  }

  // Shared by every client's socket (`this` is the socket): no closures per client.
  static #onSocketData = function (this: ClientSocket, chunk: Buffer): void {
    this[CLIENT].#receive(chunk);
  };

  static #onSocketEnd = function (this: ClientSocket): void {
    this[CLIENT].close();
  };

  get closed(): boolean {
    return this.#closed;
  }

  /** Server-side keepalive, started once the client advertises it (wire-protocol.md §9). */
  get keepalive(): KeepaliveTimer {
    this.#keepalive ??= new KeepaliveTimer(
      this.#keepaliveSettings,
      () => this.send(PING_FRAME),
      () => this.close(),
    );
    return this.#keepalive;
  }

  /** Still to authenticate on a socket whose auth is not "none" (counts as an anonymous client). */
  get authPending(): boolean {
    return this.#authPending;
  }

  /** Authentication completed (an AUTH_* step succeeded). */
  authenticated(): void {
    if (!this.#authPending) return;
    this.#authPending = false;
    this.#authDeadline?.disarm();
    this.#owner.clientAuthenticated(this);
  }

  /** Who this client is: a forwarded identity, or what its connection proves (read once). */
  get identity(): ClientIdentity {
    this.#ownIdentity ??= connectionIdentity(this.peer, this.x509DName, this.#saslUserName);
    return this.forwardedIdentity ?? this.#ownIdentity;
  }

  /** The name SASL authenticated (sasl_user_name in client-info; a proxy passes it on). */
  set saslUserName(name: string) {
    this.#saslUserName = name;
    if (this.#ownIdentity) this.#ownIdentity.saslUserName = name;
  }

  /** Bytes already read that no call has been dispatched for yet (a partial frame, or frames waiting for a slot). */
  get hasUndispatchedInput(): boolean {
    return this.#reader.pending > 0 || this.#pending.length > 0;
  }

  /** A SASL security layer wraps this connection's bytes. */
  get hasSecurityLayer(): boolean {
    return this.#layer !== undefined;
  }

  /**
   * From now on every byte read is decoded by `layer` and every byte written encoded: call it
   * right after the final auth reply was queued, as libvirt switches its socket then. Bytes
   * already read and not yet dispatched came in the clear after the client's last auth call,
   * which a real client never sends: such a client is dropped rather than served unprotected.
   */
  startSecurityLayer(layer: SecurityLayer): void {
    if (this.#closed) {
      layer.dispose();
      return;
    }
    this.#layer = layer;
    if (this.hasUndispatchedInput) this.#drop('layer', `client ${this.id}: data in the clear after its last auth call`);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Start serving: data events flow. The server may keep a client paused until a slot frees. */
  start(): void {
    this.socket.resume();
    if (this.#authPending) this.#authDeadline?.arm();
  }

  #drop(reason: DropReason, detail: string): void {
    if (this.#closed) return;
    this.#owner.clientDropped(this, reason, detail);
    this.close();
  }

  /** The packet deadline runs only while part of a packet waits and we are reading: when we
   * stop reading (the client's calls are at max_client_requests), the delay is ours, not its. */
  #watchPartialPacket(): void {
    if (!this.#packetDeadline) return;
    if (this.#reader.pending > 0 && !this.socket.isPaused()) this.#packetDeadline.arm();
    else this.#packetDeadline.disarm();
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    this.#keepalive?.seen();
    if (this.#layer) {
      try {
        chunk = this.#layer.decode(chunk);
      } catch (err) {
        this.#drop('layer', `client ${this.id}: ${(err as Error).message}`);
        return;
      }
    }
    let frames: Buffer[];
    try {
      frames = this.#reader.push(chunk);
    } catch (err) {
      if (err instanceof ProtocolViolation) {
        // Broken framing: close at once, dropping replies still queued (wire-protocol.md §2.1).
        this.close(true);
        return;
      }
      throw err;
    }
    for (const f of frames) this.#pending.push(f);
    this.#pump();
  }

  #pump(): void {
    // A frame answered at once (a dropped reply, a keepalive) re-enters here through
    // frameDone; the loop below already takes the next frame, so do not recurse.
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed && !this.#held && this.#pending.length > 0 && this.#inFlight < this.#maxRequests) {
        this.#inFlight++;
        this.#owner.frameReceived(this, this.#pending.shift()!);
      }
    } finally {
      this.#pumping = false;
    }
    if (this.#closed) return;
    if (this.#pending.length > 0) this.socket.pause();
    else if (this.socket.isPaused() && !this.#closeAfterFlush) this.socket.resume();
    this.#watchPartialPacket();
  }

  /** Re-exec: frames received from now on wait; `release` dispatches them. */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
    this.#pump();
  }

  /** Nothing in dispatch and every reply handed to the kernel: safe to hand over. */
  get idle(): boolean {
    return this.#inFlight === 0 && this.socket.writableLength === 0;
  }

  /**
   * Re-exec: stops reading the socket and returns every byte received and not
   * yet dispatched (waiting frames, then a partial one), in stream order.
   */
  takeInput(): Buffer {
    // Bytes Node buffered while paused come out as 'data' and join the reader.
    this.socket.pause();
    while (this.socket.readableLength > 0 && this.socket.read() !== null);
    stopReading(this.socket);
    const bytes = Buffer.concat([...this.#pending, this.#reader.take()]);
    this.#pending.length = 0;
    return bytes;
  }

  /** Bytes carried across a re-exec: they come before anything the socket delivers. */
  restoreInput(bytes: Buffer): void {
    if (bytes.length > 0) this.#receive(bytes);
  }

  /** The re-exec failed: the bytes taken come back and the socket is read again. */
  giveInputBack(bytes: Buffer): void {
    this.restoreInput(bytes);
    restartReading(this.socket);
  }

  /**
   * The frame handed to `onFrame` has been answered (its reply written to the kernel)
   * or needed no answer: its max_client_requests slot frees.
   */
  frameDone(): void {
    this.#inFlight--;
    this.#pump();
  }

  setMaxRequests(n: number): void {
    this.#maxRequests = Math.max(1, n);
    this.#pump();
  }

  /** Queue a frame; `written` runs once the kernel took it (or the client is gone). */
  send(frame: Buffer, written?: () => void): void {
    if (this.#closed || this.#closeAfterFlush) {
      written?.();
      return;
    }
    let bytes = frame;
    if (this.#layer) {
      try {
        bytes = this.#layer.encode(frame);
      } catch (err) {
        this.#drop('layer', `client ${this.id}: ${(err as Error).message}`);
        written?.();
        return;
      }
    }
    // Replies made in the same turn of the loop (a client pipelining calls gets several per
    // read) go to the kernel in one writev, not a syscall each.
    if (!this.socket.writableCorked) {
      this.socket.cork();
      process.nextTick(uncork, this.socket);
    }
    this.socket.write(bytes, () => written?.());
  }

  /** Queue output the client did not ask for (an event); a client that leaves too much of it unread is dropped. */
  sendEvent(frame: Buffer): void {
    if (this.#closed) return;
    if (this.socket.writableLength + frame.length > MAX_UNREAD_EVENT_BYTES) {
      this.#drop('events', `client ${this.id}, ${this.socket.writableLength} bytes unread`);
      return;
    }
    this.send(frame);
  }

  /** Close after every reply queued so far has been written (CONNECT_CLOSE). */
  closeAfterFlush(): void {
    if (this.#closed) return;
    this.#closeAfterFlush = true;
    // Nothing more is read, so the peer's own FIN would never be seen: once our last reply
    // is out ('finish'), the connection is over. A peer that does not take it in time goes too.
    this.socket.pause();
    const giveUp = setTimeout(() => this.close(), CLOSE_FLUSH_TIMEOUT_MS);
    giveUp.unref();
    this.socket.end(() => {
      clearTimeout(giveUp);
      this.close();
    });
  }

  /** Close now. `discard` drops queued output (broken framing, admin CLIENT_CLOSE). */
  close(discard = true): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#keepalive?.stop();
    this.#packetDeadline?.disarm();
    this.#authDeadline?.disarm();
    this.#pending.length = 0;
    this.#layer?.dispose();
    if (discard) this.socket.destroy();
    else this.socket.end();
    this.#owner.clientClosed(this);
    const listeners = this.#closeListeners ?? [];
    this.#closeListeners = undefined;
    for (const fn of listeners) fn();
  }

  /**
   * Sends descriptors after a REPLY_WITH_FDS and closes this process's copies; with `send`
   * false only closes them. A peer that does not take them in time is disconnected.
   */
  async sendFds(fds: number[], send = true): Promise<void> {
    try {
      await passFds(this.socket, fds, () => !send || this.#closed);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** Runs `fn` when the connection closes (a program's per-client resources, e.g. the proxy's upstream). */
  whenClosed(fn: () => void): void {
    if (this.#closed) fn();
    else (this.#closeListeners ??= []).push(fn);
  }
}
