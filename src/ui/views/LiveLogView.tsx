/** The live log: the shown daemon's records as they happen, newest at the bottom. */
import { Box, Text } from 'ink';
import type { LogLine } from '../../tasks/index.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

const NAMES: Readonly<Record<number, string>> = { 1: 'debug', 2: 'info', 3: 'warning', 4: 'error' };
const COLOURS: Readonly<Record<number, string | undefined>> = { 1: theme.muted, 2: undefined, 3: theme.warn, 4: theme.danger };

function Line({ line }: { line: LogLine }) {
  if (!line.time) return <Text wrap="truncate-end">{line.text}</Text>;
  return (
    <Text wrap="truncate-end" color={COLOURS[line.priority ?? 2]}>
      {line.time.slice(11, 23)} {(NAMES[line.priority ?? 0] ?? '?').padEnd(7)} {line.category} : {line.text}
    </Text>
  );
}

export function LiveLogView() {
  const log = useConsole((s) => s.liveLog);
  const rows = useConsole((s) => s.pageSize);
  const source = log?.source;
  const heading = !source
    ? 'starting…'
    : source.kind === 'stream'
      ? `streamed by the daemon (filters: ${source.filters?.trim() || 'none'}, priority ${source.priority} for the rest)`
      : source.kind === 'file'
        ? `following ${source.path}${source.why === 'capture' ? ' (the debug capture)' : " (the daemon's file output)"}`
        : `no live log: ${source.why}`;
  const lines = log?.lines.slice(-rows) ?? [];
  return (
    <Box flexDirection="column">
      <Text color={source?.kind === 'none' ? theme.danger : theme.accent} wrap="wrap">
        {heading}
      </Text>
      {log?.note && <Text color={theme.warn}>{log.note}</Text>}
      {lines.map((l, i) => (
        <Line key={i} line={l} />
      ))}
      <Text color={theme.muted}>f: filters of this view (ours)  c: clear  C: debug capture</Text>
    </Box>
  );
}
