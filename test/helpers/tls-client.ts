/**
 * A libvirt client over TLS as far as its first call: the handshake (with an
 * optional client certificate), the server's one-byte TLS confirmation, then
 * an AUTH_LIST round trip. Resolves with the socket once the reply came, or
 * with the error that ended it (a refused certificate, a closed connection).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { encodeCall, PacketReader, Program, PROGRAM_VERSION, Remote, voidCodec } from '../../src/rpc/index.js';

/** A TLS client; resolves with the socket once an AUTH_LIST round trip succeeded, or with the error that ended it. */
export function tlsClient(port: number, pki: string, who: { key: string; cert: string } | undefined): Promise<{ socket?: TLSSocket; serial?: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: readFileSync(join(pki, 'ca.pem')),
      ...(who ? { key: readFileSync(join(pki, who.key)), cert: readFileSync(join(pki, who.cert)) } : {}),
    });
    const reader = new PacketReader();
    let confirmed = false;
    socket.once('secureConnect', () => socket.write(encodeCall(Program.Remote, PROGRAM_VERSION, Remote.authList.proc, 1, voidCodec, undefined)));
    socket.on('data', (d: Buffer) => {
      // The server's one-byte TLS confirmation comes before any frame.
      if (!confirmed) {
        if (d[0] !== 1) return resolve({ error: `no TLS confirmation: ${d[0]}` });
        confirmed = true;
        d = d.subarray(1);
      }
      if (reader.push(d).length > 0) resolve({ socket, serial: socket.getPeerCertificate().serialNumber });
    });
    socket.once('error', (err) => resolve({ error: err.message }));
    socket.once('close', () => resolve({ error: 'closed' }));
  });
}

