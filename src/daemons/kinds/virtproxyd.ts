/**
 * virtproxyd (daemons.md §1, §13): libvirtd's socket names and TCP/TLS ports,
 * no drivers of its own; each client's connection is carried to the modular
 * daemon that serves its URI.
 */
import { createProxyProgram } from '../programs/proxy/proxy-program.js';
import type { DaemonKind } from './daemon-kind.js';

export const virtproxyd: DaemonKind = {
  name: 'virtproxyd',
  socketPrefix: 'libvirt',
  modes: ['system', 'session'],
  ip: true,
  description: 'libvirt management daemon',
  drivers: () => [],
  mainProgram: ({ mode, socketDir, sasl }) => createProxyProgram({ mode, socketDir, sasl }),
};
