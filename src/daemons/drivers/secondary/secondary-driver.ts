/**
 * The secondary drivers' connections (network, interface, nodedev, nwfilter,
 * secret, storage): what the modular daemons virtnetworkd ... virtstoraged
 * open for `<scheme>:///system` or `<scheme>:///session` (daemons.md §13).
 * libvirt gives such a connection a minimal hypervisor driver named after the
 * driver: CONNECT_GET_TYPE answers that name, and it has no version to report.
 */
import { ErrorCode, ErrorDomain, errorsFrom } from '../../../rpc/index.js';
import type { ConnectionDriver } from '../../programs/remote/connection-driver.js';

export type SecondaryScheme = 'network' | 'interface' | 'nodedev' | 'nwfilter' | 'secret' | 'storage';

/** libvirt's error domain of each secondary driver (virErrorDomain). */
const DOMAIN: Readonly<Record<SecondaryScheme, number>> = {
  network: ErrorDomain.Network,
  interface: ErrorDomain.Interface,
  nodedev: ErrorDomain.Nodedev,
  nwfilter: ErrorDomain.Nwfilter,
  secret: ErrorDomain.Secret,
  storage: ErrorDomain.Storage,
};

export function createSecondaryDriver(scheme: SecondaryScheme): ConnectionDriver {
  const fail = errorsFrom(DOMAIN[scheme]);
  return {
    scheme,
    type: scheme,
    checkUri(uri, mode) {
      if (uri.pathname !== `/${mode}`) {
        throw fail(ErrorCode.InternalError, `unexpected ${scheme} URI path '${uri.pathname}', try ${scheme}:///${mode}`);
      }
    },
  };
}
