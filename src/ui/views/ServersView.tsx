/** 2 Servers: each server's worker pool, client limits and sockets, live; for our daemons, descriptors and refusals; values a restart would lose, marked. */
import { Box, Text } from 'ink';
import { idleText } from '../../tasks/index.js';
import { DriftMark } from '../components/DriftMark.js';
import { Gauge } from '../components/Gauge.js';
import { driftOf } from '../store/drift-slice.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

function refusals(load: { refusedFull: number; refusedDescriptors: number; dropped: Record<string, number> }): string {
  const dropped = Object.entries(load.dropped).filter(([, n]) => n > 0).map(([why, n]) => `${why} ${n}`);
  return `refused: ${load.refusedFull} past max_clients + queue, ${load.refusedDescriptors} to keep descriptors for admin${dropped.length ? `  dropped: ${dropped.join(', ')}` : ''}`;
}

export function ServersView() {
  const servers = useConsole((s) => s.target.servers);
  const cursor = useConsole((s) => s.serverCursor);
  const drift = useConsole((s) => s.drift[s.target.key]);
  const descriptors = useConsole((s) => s.target.load?.descriptors);
  const lost = drift?.report?.items.filter((i) => i.lostAtRestart).length ?? 0;
  const idle = drift?.report && idleText(drift.report, Date.now());
  return (
    <Box flexDirection="column">
      {drift?.error && <Text color={theme.danger}>drift unknown: {drift.error}</Text>}
      {lost > 0 && <Text color={theme.warn}>{lost} running value(s) differ from the config file, marked (config …): lost at restart; D shows the lines that keep them</Text>}
      {idle && <Text color={theme.warn}>{idle}</Text>}
      {descriptors && (descriptors.limit === null ? <Text>descriptors      {descriptors.inUse} in use, no limit</Text> : <Gauge label="descriptors" used={descriptors.inUse} total={descriptors.limit} />)}
      {servers.map((srv, i) => {
        const tp = srv.threadpool;
        const l = srv.limits;
        const key = (k: string) => driftOf(drift, `server ${srv.name}`, srv.name === 'admin' ? `admin_${k}` : k);
        return (
          <Box key={srv.name} flexDirection="column" borderStyle={i === cursor ? 'bold' : 'single'} borderColor={i === cursor ? theme.accent : theme.muted} paddingX={1}>
            <Text bold>{srv.name}</Text>
            {tp && (
              <>
                <Text>
                  workers min {tp.minWorkers}
                  <DriftMark item={key('min_workers')} />  max {tp.maxWorkers}
                  <DriftMark item={key('max_workers')} />  priority {tp.prioWorkers}
                  <DriftMark item={driftOf(drift, `server ${srv.name}`, srv.name === 'admin' ? 'admin prio_workers' : 'prio_workers')} />  job queue {tp.jobQueueDepth}
                </Text>
                <Gauge label="busy workers" used={tp.nWorkers - tp.freeWorkers} current={tp.nWorkers} total={tp.maxWorkers} />
              </>
            )}
            {l && (
              <>
                <Gauge label="clients" used={l.nclients} total={l.nclientsMax} />
                <DriftMark item={key('max_clients')} />
                <Text>
                  unauthenticated {l.nclientsUnauth} of {l.nclientsUnauthMax === 0 ? 'unlimited' : l.nclientsUnauthMax}
                  <DriftMark item={driftOf(drift, `server ${srv.name}`, srv.name === 'admin' ? 'admin max_anonymous_clients' : 'max_anonymous_clients')} />
                </Text>
              </>
            )}
            {srv.load && <Text color={srv.load.refusedFull + srv.load.refusedDescriptors > 0 ? theme.warn : theme.muted}>{refusals(srv.load)}</Text>}
            {srv.services?.map((svc) => (
              <Text key={`${svc.transport}-${svc.address}`} color={theme.muted} wrap="truncate-middle">
                {svc.transport.padEnd(5)} {svc.readonly ? 'ro' : 'rw'}  auth {svc.auth.padEnd(6)} {svc.activation === 'systemd' ? 'systemd ' : ''}
                {svc.address}
              </Text>
            ))}
          </Box>
        );
      })}
      <Text color={theme.muted}>Enter: clients of the server  w: worker limits  l: client limits  T: reload TLS  D: drift</Text>
    </Box>
  );
}
