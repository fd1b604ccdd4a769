import { createContext } from 'svelte';
import type { BackendState } from './state/backend.svelte';
import type { Router } from './state/router.svelte';

/** App-wide state, created once in App.svelte and read by any view. */
export interface AppContext {
  backend: BackendState;
  router: Router;
}

export const [getAppContext, setAppContext] = createContext<AppContext>();
