/**
 * The server side of Cyrus SASL (libsasl2), through the small N-API addon in
 * native/sasl.c: the library libvirtd itself uses, so mechanisms, config
 * files (libvirt.conf in SASL_CONF_PATH or /etc/sasl2) and credential stores
 * (sasldb, Kerberos keytabs) behave for our daemons exactly as for libvirt's.
 *
 * Every call is synchronous on the event loop. Cyrus is not thread-safe per
 * connection, and nothing here waits on the network: the GSSAPI server checks
 * tickets against its keytab without asking the KDC, and the host name Cyrus
 * would otherwise resolve for each new context is resolved once (open()).
 */
import { lazyAddon } from './native-addon.js';

/** A finished or continuing exchange: the token to send back, `null` for none (not the same as empty). */
export interface SaslExchange {
  complete: boolean;
  data: Buffer | null;
}

/** What a finished exchange settled. */
export interface SaslNegotiated {
  /** Strength of the security layer in bits; 0 when there is none. */
  ssf: number;
  /** The largest block encode() takes. */
  maxOutBuf: number;
  userName: string | null;
}

export interface SaslSecurityProperties {
  minSsf: number;
  maxSsf: number;
  /** The largest block we accept from the peer's security layer. */
  maxBufSize: number;
  /** Anonymous and plaintext-password mechanisms allowed (libvirt allows them only on secure sockets). */
  allowAnonymous: boolean;
}

type Handle = object;

interface SaslAddon {
  serverInit(appName: string): void;
  serverNew(service: string, serverFqdn: string | null, localAddr: string | null, remoteAddr: string | null): Handle;
  serverFqdn(h: Handle): string | null;
  dispose(h: Handle): void;
  setExternalSsf(h: Handle, ssf: number): void;
  setSecurityProperties(h: Handle, minSsf: number, maxSsf: number, maxBufSize: number, allowAnonymous: boolean): void;
  listMechanisms(h: Handle): string;
  serverStart(h: Handle, mech: string, data: Buffer | null): SaslExchange;
  serverStep(h: Handle, data: Buffer | null): SaslExchange;
  negotiated(h: Handle): SaslNegotiated;
  encode(h: Handle, data: Buffer): Buffer;
  decode(h: Handle, data: Buffer): Buffer;
}

const addon = lazyAddon<SaslAddon>('sasl');

/** A failure Cyrus reported; the message is libvirt's wording with Cyrus's code and detail. */
export class SaslError extends Error {
  readonly saslCode: number | undefined;
  constructor(cause: unknown) {
    // An addon that cannot load says why only in its cause (e.g. libsasl2.so.2 missing).
    const inner = cause instanceof Error && cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
    super(cause instanceof Error ? cause.message + inner : String(cause), { cause });
    this.name = 'SaslError';
    this.saslCode = (cause as { saslCode?: number } | undefined)?.saslCode;
  }
}

function cyrus<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new SaslError(err);
  }
}

/**
 * Loads libsasl2 and its plugins and reads the application's config, once per process
 * (sasl_server_init). Throws SaslError when the addon or the library cannot be loaded,
 * or the config file is malformed.
 */
export function initSaslServer(appName: string): void {
  cyrus(() => addon.serverInit(appName));
}

/** One client's SASL context: the exchange, then its security layer. */
export class SaslSession {
  #handle: Handle | undefined;

  private constructor(handle: Handle) {
    this.#handle = handle;
  }

  /**
   * `localAddr`/`remoteAddr` as Cyrus wants them, "IP;port" (null where unknown). `serverFqdn`
   * null makes Cyrus resolve this host's name, a blocking lookup: done once at start-up, and
   * its result (serverFqdn()) passed for every client after.
   */
  static open(service: string, serverFqdn: string | null, localAddr: string | null, remoteAddr: string | null): SaslSession {
    return new SaslSession(cyrus(() => addon.serverNew(service, serverFqdn, localAddr, remoteAddr)));
  }

  get #live(): Handle {
    if (!this.#handle) throw new SaslError(new Error('the SASL session was disposed'));
    return this.#handle;
  }

  /** The host name this context serves as (Cyrus's canonical form of the host's name). */
  serverFqdn(): string | null {
    return cyrus(() => addon.serverFqdn(this.#live));
  }

  setExternalSsf(bits: number): void {
    cyrus(() => addon.setExternalSsf(this.#live, bits));
  }

  setSecurityProperties(p: SaslSecurityProperties): void {
    cyrus(() => addon.setSecurityProperties(this.#live, p.minSsf, p.maxSsf, p.maxBufSize, p.allowAnonymous));
  }

  /** The mechanisms this client may use, comma-separated as libvirt sends them; "" when none. */
  listMechanisms(): string {
    return cyrus(() => addon.listMechanisms(this.#live));
  }

  start(mech: string, data: Buffer | null): SaslExchange {
    return cyrus(() => addon.serverStart(this.#live, mech, data));
  }

  step(data: Buffer | null): SaslExchange {
    return cyrus(() => addon.serverStep(this.#live, data));
  }

  negotiated(): SaslNegotiated {
    return cyrus(() => addon.negotiated(this.#live));
  }

  /** One block of at most `negotiated().maxOutBuf` bytes, wrapped by the security layer. */
  encode(block: Buffer): Buffer {
    return cyrus(() => addon.encode(this.#live, block));
  }

  /** Whatever whole blocks these bytes complete, unwrapped; Cyrus keeps a partial block for the next call. */
  decode(bytes: Buffer): Buffer {
    return cyrus(() => addon.decode(this.#live, bytes));
  }

  dispose(): void {
    if (this.#handle) addon.dispose(this.#handle);
    this.#handle = undefined;
  }
}
