/**
 * The systemd units of every daemon, as the seed document and libvirt 9.0
 * ship them (daemons.md §7.1), rendered for this installation: ExecStart
 * runs `virtd <daemon>` from the given prefix.
 */
export interface UnitFile {
  name: string;
  text: string;
}

interface RemoteDaemonUnits {
  name: string;
  prefix: string;
  description: string;
  ip: boolean;
  /** Extra [Unit] lines of the service. */
  unit: string[];
  /** Extra [Service] lines. */
  service: string[];
  /** Extra [Unit] lines of every socket unit. */
  socketUnit?: string[];
}

const LIMITS = ['KillMode=process', 'LimitNOFILE=8192', 'TasksMax=32768', 'LimitMEMLOCK=64M'];
const CONFLICTS_LIBVIRTD = ['Conflicts=libvirtd.service'];
const ownSockets = (d: string) => `${d}.socket ${d}-ro.socket ${d}-admin.socket`;

function modular(name: string, description: string, extra: Partial<RemoteDaemonUnits> = {}): RemoteDaemonUnits {
  return {
    name,
    prefix: name,
    description,
    ip: false,
    unit: [...CONFLICTS_LIBVIRTD, `Requires=${ownSockets(name)}`, ...(extra.unit ?? [])],
    service: extra.service ?? [],
    ...(extra.socketUnit ? { socketUnit: extra.socketUnit } : {}),
  };
}

/** Daemons with remote-protocol sockets. virtbhyved (FreeBSD) has no units, as in libvirt. */
const REMOTE_DAEMONS: RemoteDaemonUnits[] = [
  {
    name: 'libvirtd',
    prefix: 'libvirt',
    description: 'libvirt legacy monolithic daemon',
    ip: true,
    unit: ['Requires=virtlogd.socket virtlockd.socket', 'Wants=libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket systemd-machined.service', 'After=network.target virtlogd.socket virtlockd.socket'],
    service: LIMITS,
  },
  {
    name: 'virtproxyd',
    prefix: 'libvirt',
    description: 'libvirt proxy daemon',
    ip: true,
    unit: [...CONFLICTS_LIBVIRTD, `Requires=${ownSockets('virtproxyd')}`, 'After=network.target'],
    service: [],
    socketUnit: ['Conflicts=libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket libvirtd-tcp.socket libvirtd-tls.socket'],
  },
  modular('virtqemud', 'libvirt QEMU daemon', {
    unit: ['Requires=virtlogd.socket virtlockd.socket', 'Wants=systemd-machined.service'],
    service: LIMITS,
  }),
  modular('virtxend', 'libvirt libxl daemon', { unit: ['Requires=virtlockd.socket', 'ConditionPathExists=/proc/xen/capabilities'], socketUnit: ['ConditionPathExists=/proc/xen/capabilities'] }),
  modular('virtlxcd', 'libvirt LXC daemon', { unit: ['Wants=systemd-machined.service'], service: LIMITS }),
  modular('virtvboxd', 'libvirt VirtualBox daemon'),
  modular('virtinterfaced', 'libvirt interface daemon'),
  modular('virtnetworkd', 'libvirt network daemon'),
  modular('virtnodedevd', 'libvirt nodedev daemon'),
  modular('virtnwfilterd', 'libvirt nwfilter daemon'),
  modular('virtsecretd', 'libvirt secret daemon'),
  modular('virtstoraged', 'libvirt storage daemon'),
];

function render(sections: [string, string[]][]): string {
  return sections.map(([name, lines]) => `[${name}]\n${lines.join('\n')}\n`).join('\n');
}

function socketUnit(d: RemoteDaemonUnits, suffix: string, listen: string, mode: string | undefined, what: string): UnitFile {
  const unit = suffix === '' ? [`Description=${d.description} ${what}`, `Before=${d.name}.service`] : [`Description=${d.description} ${what}`, `Before=${d.name}.service`, `BindsTo=${d.name}.socket`, `After=${d.name}.socket`];
  const socket = [`ListenStream=${listen}`, `Service=${d.name}.service`, ...(mode ? [`SocketMode=${mode}`] : []), ...(listen.startsWith('/') ? ['RemoveOnStop=yes'] : [])];
  return {
    name: `${d.name}${suffix}.socket`,
    text: render([
      ['Unit', [...unit, ...(d.socketUnit ?? [])]],
      ['Socket', socket],
      ['Install', ['WantedBy=sockets.target']],
    ]),
  };
}

function remoteDaemonUnits(d: RemoteDaemonUnits, prefix: string): UnitFile[] {
  const argsVar = `${d.name.toUpperCase()}_ARGS`;
  const sockets = [
    socketUnit(d, '', `/run/libvirt/${d.prefix}-sock`, '0666', 'local socket'),
    socketUnit(d, '-ro', `/run/libvirt/${d.prefix}-sock-ro`, '0666', 'local read-only socket'),
    socketUnit(d, '-admin', `/run/libvirt/${d.prefix}-admin-sock`, '0600', 'admin socket'),
    ...(d.ip ? [socketUnit(d, '-tcp', '16509', undefined, 'non-TLS IP socket'), socketUnit(d, '-tls', '16514', undefined, 'TLS IP socket')] : []),
  ];
  const service: UnitFile = {
    name: `${d.name}.service`,
    text: render([
      ['Unit', [`Description=${d.description}`, 'Documentation=man:libvirtd(8)', ...d.unit]],
      [
        'Service',
        [
          'Type=notify',
          `Environment=${argsVar}="--timeout 120"`,
          `EnvironmentFile=-/etc/default/${d.name}`,
          `ExecStart=${prefix}/bin/virtd ${d.name} $${argsVar}`,
          'ExecReload=/bin/kill -HUP $MAINPID',
          'Restart=on-failure',
          ...d.service,
        ],
      ],
      ['Install', ['WantedBy=multi-user.target', `Also=${sockets.map((s) => s.name).join(' ')}`]],
    ]),
  };
  return [...sockets, service];
}

/** virtlogd and virtlockd: two sockets, a simple service, SIGUSR1 to re-exec on reload. */
function helperDaemonUnits(name: 'virtlogd' | 'virtlockd', prefix: string): UnitFile[] {
  const what = name === 'virtlogd' ? 'logging' : 'locking';
  const argsVar = `${name.toUpperCase()}_ARGS`;
  return [
    {
      name: `${name}.socket`,
      text: render([
        ['Unit', [`Description=libvirt ${what} daemon socket`, `Before=${name}.service`]],
        ['Socket', [`ListenStream=/run/libvirt/${name}-sock`, 'SocketMode=0600', 'RemoveOnStop=yes']],
        ['Install', ['WantedBy=sockets.target']],
      ]),
    },
    {
      name: `${name}-admin.socket`,
      text: render([
        ['Unit', [`Description=libvirt ${what} daemon admin socket`, `Before=${name}.service`, `BindsTo=${name}.socket`, `After=${name}.socket`]],
        ['Socket', [`ListenStream=/run/libvirt/${name}-admin-sock`, `Service=${name}.service`, 'SocketMode=0600', 'RemoveOnStop=yes']],
        ['Install', ['WantedBy=sockets.target']],
      ]),
    },
    {
      name: `${name}.service`,
      text: render([
        ['Unit', [`Description=libvirt ${what} daemon`, `Documentation=man:${name}(8)`, `Requires=${name}.socket ${name}-admin.socket`, `After=${name}.socket ${name}-admin.socket`]],
        [
          'Service',
          [
            'Type=simple',
            `Environment=${argsVar}=`,
            `EnvironmentFile=-/etc/default/${name}`,
            `ExecStart=${prefix}/bin/virtd ${name} $${argsVar}`,
            'ExecReload=/bin/kill -USR1 $MAINPID',
            'OOMScoreAdjust=-900',
            `LimitNOFILE=${name === 'virtlogd' ? 16384 : 40960}`,
          ],
        ],
        ['Install', [`Also=${name}.socket ${name}-admin.socket`]],
      ]),
    },
  ];
}

/** Every unit of every daemon, for an installation whose `virtd` is at `<prefix>/bin/virtd`. */
export function unitSet(prefix = '/usr'): UnitFile[] {
  return [...REMOTE_DAEMONS.flatMap((d) => remoteDaemonUnits(d, prefix)), ...helperDaemonUnits('virtlogd', prefix), ...helperDaemonUnits('virtlockd', prefix)];
}
