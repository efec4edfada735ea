/** Help, confirmation and one-line input, drawn over the view; they take the keyboard while open. */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { KEYMAP } from '../keys/keymap.js';
import type { Overlay as OverlayState } from '../store/console-state.js';
import { useConsole } from '../store/store-context.js';
import { theme } from '../theme.js';

function Help() {
  const readonly = useConsole((s) => s.readonly);
  const close = useConsole((s) => s.closeOverlay);
  useInput(() => close());
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
  const close = useConsole((s) => s.closeOverlay);
  useInput((input, key) => {
    if (input === 'y' || input === 'Y') {
      close();
      void overlay.onYes();
    } else if (input === 'n' || input === 'N' || key.escape) close();
  });
  return (
    <Box borderStyle="round" borderColor={theme.danger} paddingX={1}>
      <Text>
        {overlay.text} <Text bold>[y/n]</Text>
      </Text>
    </Box>
  );
}

function Input({ overlay }: { overlay: Extract<OverlayState, { kind: 'input' }> }) {
  const close = useConsole((s) => s.closeOverlay);
  const [value, setValue] = useState(overlay.value);
  useInput((input, key) => {
    if (key.escape) close();
    else if (key.return) {
      close();
      void overlay.onSubmit(value);
    } else if (key.backspace || key.delete) setValue((v) => v.slice(0, -1));
    else if (input && !key.ctrl && !key.meta) setValue((v) => v + input);
  });
  return (
    <Box borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text>
        {overlay.label}: {value}
        <Text inverse> </Text>
        <Text color={theme.muted}>  Enter send, Esc cancel</Text>
      </Text>
    </Box>
  );
}

export function Overlay() {
  const overlay = useConsole((s) => s.overlay);
  if (!overlay) return null;
  if (overlay.kind === 'help') return <Help />;
  if (overlay.kind === 'confirm') return <Confirm overlay={overlay} />;
  return <Input key={overlay.label} overlay={overlay} />;
}
