/** The console: tabs, the current view, an overlay when one is open, and the status line. */
import { Box, useApp, useInput } from 'ink';
import { useEffect } from 'react';
import { CaptureBanner } from './components/CaptureBanner.js';
import { Overlay } from './components/Overlay.js';
import { StatusLine } from './components/StatusLine.js';
import { TabBar } from './components/TabBar.js';
import { splitKeys } from './keys/key-chunks.js';
import { handleKey } from './keys/keymap.js';
import { handleOverlayKey } from './keys/overlay-keys.js';
import type { ConsoleStore } from './store/console-store.js';
import { useConsole } from './store/store-context.js';
import { CertificatesView } from './views/CertificatesView.js';
import { ClientsView } from './views/ClientsView.js';
import { DashboardView } from './views/DashboardView.js';
import { HostClientsView } from './views/HostClientsView.js';
import { LiveLogView } from './views/LiveLogView.js';
import { LoggingView } from './views/LoggingView.js';
import { ServersView } from './views/ServersView.js';

const VIEW_COMPONENTS = {
  dashboard: DashboardView,
  servers: ServersView,
  clients: ClientsView,
  logging: LoggingView,
  'host-clients': HostClientsView,
  log: LiveLogView,
  tls: CertificatesView,
} as const;

export function App({ store }: { store: ConsoleStore }) {
  const { exit } = useApp();
  const view = useConsole((s) => s.view);
  const quitRequested = useConsole((s) => s.quitRequested);
  useEffect(() => {
    if (quitRequested) exit();
  }, [quitRequested, exit]);
  useInput((input, key) => {
    for (const [ch, k] of splitKeys(input, key)) {
      const s = store.getState();
      if (s.quitRequested) return;
      if (s.overlay) handleOverlayKey(s, ch, k);
      else handleKey(s, ch, k);
    }
  });
  const View = VIEW_COMPONENTS[view];
  return (
    <Box flexDirection="column">
      <TabBar />
      <View />
      <Overlay />
      <CaptureBanner />
      <StatusLine />
    </Box>
  );
}
