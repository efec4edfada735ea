/** The store reaches components through context; components select only what they draw. */
import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { ConsoleState } from './console-state.js';
import type { ConsoleActions, ConsoleStore } from './console-store.js';

const StoreContext = createContext<ConsoleStore | undefined>(undefined);

export function StoreProvider({ store, children }: { store: ConsoleStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useConsole<T>(selector: (s: ConsoleState & ConsoleActions) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useConsole outside StoreProvider');
  return useStore(store, selector);
}
