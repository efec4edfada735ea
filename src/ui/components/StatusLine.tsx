/**
 * The bottom lines: the last message (an answer, a notice, an error; each
 * expires), the connection's trouble when there is any, and the state line:
 * URI, connection, age of the data, live events, slowed polling, read-only.
 * Nothing is cut in the middle: long text wraps, long paths shorten.
 */
import { Box, Text } from 'ink';
import { currentMessage } from '../store/status-slice.js';
import { useConsole } from '../store/store-context.js';
import { DEBUG_SLOWDOWN } from '../store/target-slice.js';
import { theme } from '../theme.js';
import { fitStatus } from './status-text.js';

const STATE_COLOUR = { connected: theme.ok, connecting: theme.warn, reconnecting: theme.warn, lost: theme.danger, closed: theme.muted } as const;
const TONE_COLOUR = { ok: theme.ok, error: theme.danger, notice: theme.warn } as const;

export function StatusLine() {
  const uri = useConsole((s) => s.target.uri);
  const connection = useConsole((s) => s.target.connection);
  const error = useConsole((s) => s.target.connectionError);
  const refreshedAt = useConsole((s) => s.target.refreshedAt);
  const live = useConsole((s) => s.target.liveEvents);
  const debug = useConsole((s) => s.target.debugLogging);
  const interval = useConsole((s) => s.pollIntervalMs);
  const raw = useConsole((s) => s.message);
  const ttl = useConsole((s) => s.messageTtlMs);
  const readonly = useConsole((s) => s.readonly);
  const width = useConsole((s) => s.columns);
  // Drawn again with the poll's frame each second (the store's clock), not on a timer of its own.
  const now = useConsole((s) => s.clockMs);
  const message = currentMessage(raw, ttl, Date.now());
  const age = refreshedAt === undefined ? 'no data yet' : `data ${Math.max(0, Math.round((now - refreshedAt) / 1000))}s old`;
  const slow = debug ? `  polling every ${(interval * DEBUG_SLOWDOWN) / 1000}s: debug logging is on` : '';
  const state = `  ${uri}  ${age}${live ? '  live' : ''}${slow}${readonly ? '  read-only' : ''}  ? help  q quit`;
  return (
    <Box flexDirection="column">
      {message && <Text color={TONE_COLOUR[message.tone]}>{fitStatus(message.text, width)}</Text>}
      {connection !== 'connected' && error && <Text color={theme.danger}>{fitStatus(error, width)}</Text>}
      <Text wrap="wrap">
        <Text color={STATE_COLOUR[connection]}>● {connection}</Text>
        <Text color={theme.muted}>{fitStatus(state, width - 2 - connection.length)}</Text>
      </Text>
    </Box>
  );
}
