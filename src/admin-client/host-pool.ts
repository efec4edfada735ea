/**
 * The hosts a program talks to: this machine, and each SSH host once, however
 * many of its daemons are attached (one ssh process per host). A URI names
 * its host: `NAME+ssh://…` one over SSH, anything else this machine.
 */
import { LocalHost, type Host } from './host.js';
import { SshHost, type SshHostOptions } from './ssh/ssh-host.js';
import { connectionKey, isSshUri, parseSshUri, type SshDestination, type SshTransportOptions } from './ssh/ssh-uri.js';

export class HostPool {
  readonly local = new LocalHost();
  readonly #ssh = new Map<string, SshHost>();
  readonly #opts: SshHostOptions;

  constructor(opts: SshHostOptions = {}) {
    this.#opts = opts;
  }

  /** The host that holds the daemon `uri` names (virt-admin's URIs: this machine). */
  hostFor(uri: string): Host {
    if (!isSshUri(uri)) return this.local;
    const { destination, transport } = parseSshUri(uri);
    return this.sshHost(destination, transport);
  }

  /** The SSH host for a destination, made on first use and shared after. */
  sshHost(destination: SshDestination, transport: SshTransportOptions = {}): SshHost {
    const key = connectionKey(destination, transport);
    let host = this.#ssh.get(key);
    if (!host) {
      host = new SshHost(destination, transport, this.#opts);
      this.#ssh.set(key, host);
    }
    return host;
  }

  /** Closes every SSH host's connection (their ssh processes end, their directories go). */
  async close(): Promise<void> {
    const hosts = [...this.#ssh.values()];
    this.#ssh.clear();
    await Promise.all(hosts.map((h) => h.close()));
  }
}
