/** Help, confirmation and one-line input, drawn over the view; they take the keyboard while open. */
import { Box, Text } from 'ink';
import { KEYMAP } from '../keys/keymap.js';
import type { Overlay as OverlayState } from '../store/console-state.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

function Help() {
  const readonly = useConsole((s) => s.readonly);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>Keys</Text>
      {KEYMAP.map((b) => (
        <Text key={`${b.keys}-${b.description}`} color={b.changesDaemon && readonly ? theme.muted : undefined}>
          {b.keys.padEnd(12)} {b.description}
          {b.changesDaemon && readonly ? ' (disabled: read-only)' : ''}
        </Text>
      ))}
      <Text color={theme.muted}>any key closes this help</Text>
    </Box>
  );
}

function Confirm({ overlay }: { overlay: Extract<OverlayState, { kind: 'confirm' }> }) {
  return (
    <Box borderStyle="round" borderColor={theme.danger} paddingX={1}>
      <Text>
        {overlay.text} <Text bold>[y/n]</Text>
      </Text>
    </Box>
  );
}

function Input({ overlay }: { overlay: Extract<OverlayState, { kind: 'input' }> }) {
  return (
    <Box borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text>
        {overlay.label}: {overlay.value}
        <Text inverse> </Text>
        <Text color={theme.muted}>  Enter send, Ctrl-U clear, Esc cancel</Text>
      </Text>
    </Box>
  );
}

export function Overlay() {
  const overlay = useConsole((s) => s.overlay);
  if (!overlay) return null;
  if (overlay.kind === 'help') return <Help />;
  if (overlay.kind === 'confirm') return <Confirm overlay={overlay} />;
  return <Input overlay={overlay} />;
}
