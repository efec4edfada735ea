/** 1 Daemons: every known daemon, system and session, with each socket's state; the attached one marked. */
import { Box, Text } from 'ink';
import { windowAround } from '../store/client-rows.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

const STATE = { active: ['●', theme.ok], stale: ['○', theme.warn], absent: ['·', theme.muted], denied: ['×', theme.danger] } as const;

export function DaemonsView() {
  const daemons = useConsole((s) => s.daemons);
  const cursor = useConsole((s) => s.daemonCursor);
  const pageSize = useConsole((s) => s.pageSize);
  const attached = useConsole((s) => s.target.socketPath);
  if (daemons.length === 0) return <Text color={theme.muted}>looking for daemons…</Text>;
  const { top, end } = windowAround(cursor, daemons.length, pageSize);
  return (
    <Box flexDirection="column">
      <Text color={theme.muted}>{'  '}{'daemon'.padEnd(16)}{'mode'.padEnd(9)}sockets  (● active  ○ stale  · absent  × denied)  ▶ attached</Text>
      {daemons.slice(top, end).map((d, j) => {
        const here = d.sockets.some((s) => s.role === 'admin' && s.address === attached);
        return (
          <Text key={`${d.name}-${d.mode}`} wrap="truncate">
            <Text color={theme.accent}>{here ? '▶ ' : '  '}</Text>
            {/* Only the name is highlighted: the sockets keep their state colours. */}
            <Text inverse={top + j === cursor}>
              <Text bold={d.running}>{d.name.padEnd(16)}</Text>
              {d.mode.padEnd(9)}
            </Text>
            {d.socketsHeldBy ? (
              <Text color={theme.muted}>not running: its socket paths are held by {d.socketsHeldBy}</Text>
            ) : (
              d.sockets.map((s) => (
                <Text key={s.role} color={STATE[s.state][1]}>
                  {STATE[s.state][0]} {s.role.padEnd(6)}
                </Text>
              ))
            )}
          </Text>
        );
      })}
      <Text color={theme.muted}>
        {daemons.filter((d) => d.running).length} of {daemons.length} running
        {daemons.length > end - top ? `  rows ${top + 1}-${end}, ↑/↓ for more` : ''}  Enter attaches to the selected daemon's admin socket
      </Text>
    </Box>
  );
}
