/**
 * Which modular daemon serves a URI, as libvirt routes a local connection
 * (daemons.md §13): by the URI's scheme.
 */
export const PROXY_ROUTES: Readonly<Record<string, string>> = {
  qemu: 'virtqemud',
  xen: 'virtxend',
  lxc: 'virtlxcd',
  bhyve: 'virtbhyved',
  vbox: 'virtvboxd',
  interface: 'virtinterfaced',
  network: 'virtnetworkd',
  nodedev: 'virtnodedevd',
  nwfilter: 'virtnwfilterd',
  secret: 'virtsecretd',
  storage: 'virtstoraged',
};
