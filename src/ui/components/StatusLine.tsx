/** The bottom line: URI, connection state, age of the data, and the last action's answer. */
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

const STATE_COLOUR = { connected: theme.ok, connecting: theme.warn, reconnecting: theme.warn, lost: theme.danger, closed: theme.muted } as const;

export function StatusLine() {
  const uri = useConsole((s) => s.uri);
  const connection = useConsole((s) => s.connection);
  const error = useConsole((s) => s.connectionError);
  const refreshedAt = useConsole((s) => s.refreshedAt);
  const message = useConsole((s) => s.message);
  const readonly = useConsole((s) => s.readonly);
  const live = useConsole((s) => s.liveEvents);
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const age = refreshedAt === undefined ? 'no data yet' : `data ${Math.max(0, Math.round((Date.now() - refreshedAt) / 1000))}s old`;
  return (
    <Box flexDirection="column">
      {message && <Text color={message.error ? theme.danger : theme.ok}>{message.text}</Text>}
      <Text wrap="truncate-middle">
        <Text color={STATE_COLOUR[connection]}>● {connection}</Text>
        <Text color={theme.muted}>
          {'  '}
          {uri}
          {'  '}
          {age}
          {live ? '  live' : ''}
          {readonly ? '  read-only' : ''}
          {connection !== 'connected' && error ? `  (${error})` : ''}
          {'  ? help  q quit'}
        </Text>
      </Text>
    </Box>
  );
}
