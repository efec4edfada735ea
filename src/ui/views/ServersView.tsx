/** 2 Servers: each server's worker pool and client limits, live. */
import { Box, Text } from 'ink';
import { Gauge } from '../components/Gauge.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

export function ServersView() {
  const servers = useConsole((s) => s.target.servers);
  const cursor = useConsole((s) => s.serverCursor);
  return (
    <Box flexDirection="column">
      {servers.map((srv, i) => {
        const tp = srv.threadpool;
        const l = srv.limits;
        return (
          <Box key={srv.name} flexDirection="column" borderStyle={i === cursor ? 'bold' : 'single'} borderColor={i === cursor ? theme.accent : theme.muted} paddingX={1}>
            <Text bold>{srv.name}</Text>
            {tp && (
              <>
                <Text>
                  workers min {tp.minWorkers}  max {tp.maxWorkers}  priority {tp.prioWorkers}  job queue {tp.jobQueueDepth}
                </Text>
                <Gauge label="busy workers" used={tp.nWorkers - tp.freeWorkers} current={tp.nWorkers} total={tp.maxWorkers} />
              </>
            )}
            {l && (
              <>
                <Gauge label="clients" used={l.nclients} total={l.nclientsMax} />
                <Text>
                  unauthenticated {l.nclientsUnauth} of {l.nclientsUnauthMax === 0 ? 'unlimited' : l.nclientsUnauthMax}
                </Text>
              </>
            )}
            {srv.services?.map((svc) => (
              <Text key={`${svc.transport}-${svc.address}`} color={theme.muted} wrap="truncate-middle">
                {svc.transport.padEnd(5)} {svc.readonly ? 'ro' : 'rw'}  auth {svc.auth.padEnd(6)} {svc.activation === 'systemd' ? 'systemd ' : ''}
                {svc.address}
              </Text>
            ))}
          </Box>
        );
      })}
      <Text color={theme.muted}>Enter: clients of the server  w: worker limits  l: client limits  T: reload TLS</Text>
    </Box>
  );
}
