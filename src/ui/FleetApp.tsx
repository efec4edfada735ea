/**
 * The console over a fleet (issue 14): the fleet view, or one host's whole
 * console (the same App as on a single host, on that host's store).
 */
import { useApp, useInput } from 'ink';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { App } from './App.js';
import { handleFleetKey } from './keys/fleet-keys.js';
import { splitKeys } from './keys/key-chunks.js';
import type { FleetConsole } from './store/fleet-console.js';
import { StoreProvider } from './store/store-context.js';
import { FleetView } from './views/FleetView.js';

export function FleetApp({ fleet }: { fleet: FleetConsole }) {
  const { exit } = useApp();
  const open = useStore(fleet.store, (s) => s.open);
  const quitRequested = useStore(fleet.store, (s) => s.quitRequested);
  useEffect(() => {
    if (quitRequested) exit();
  }, [quitRequested, exit]);
  useInput(
    (input, key) => {
      for (const [ch, k] of splitKeys(input, key)) handleFleetKey(fleet.store.getState(), ch, k);
    },
    { isActive: open === undefined },
  );
  const store = open === undefined ? undefined : fleet.hosts[open]?.store;
  if (!store) return <FleetView fleet={fleet.store} />;
  return (
    <StoreProvider store={store} key={open}>
      <App store={store} />
    </StoreProvider>
  );
}
