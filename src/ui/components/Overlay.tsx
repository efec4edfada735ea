/** Help, a text page, confirmation and one-line input, drawn over the view; they take the keyboard while open. */
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

function Page({ overlay }: { overlay: Extract<OverlayState, { kind: 'text' }> }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text>{overlay.text.trimEnd()}</Text>
      <Text color={theme.muted}>any key closes this page</Text>
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
  const { value, cursor } = overlay;
  // The palette's prompt is its ':' alone; other prompts name what they ask for.
  const prompt = overlay.palette ? ':' : `${overlay.label}: `;
  const hint = overlay.palette ? 'Enter run, Tab complete, ↑/↓ history, Esc cancel' : 'Enter send, ←/→ move, Ctrl-U clear, Esc cancel';
  return (
    <Box borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text>
        {prompt}
        {value.slice(0, cursor)}
        <Text inverse>{value[cursor] ?? ' '}</Text>
        {value.slice(cursor + 1)}
        <Text color={theme.muted}>  {hint}</Text>
      </Text>
    </Box>
  );
}

export function Overlay() {
  const overlay = useConsole((s) => s.overlay);
  if (!overlay) return null;
  if (overlay.kind === 'help') return <Help />;
  if (overlay.kind === 'text') return <Page overlay={overlay} />;
  if (overlay.kind === 'confirm') return <Confirm overlay={overlay} />;
  return <Input overlay={overlay} />;
}
