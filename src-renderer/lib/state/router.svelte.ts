import { viewIds, type ViewId } from '../../../src-shared/types';

export interface Route {
  view: ViewId;
  /** The item shown in the view (a conversation in Chat), if any. */
  id: number | null;
}

export function parseRoute(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/');
  const known = (viewIds as readonly string[]).includes(view ?? '') ? (view as ViewId) : 'chat';
  const number = Number(id);
  return { view: known, id: known === view && Number.isSafeInteger(number) && number > 0 ? number : null };
}

/** The current view (and item), mirrored in the URL hash so a reload stays where the user was. */
export class Router {
  route = $state<Route>(parseRoute(location.hash));

  constructor() {
    const sync = () => (this.route = parseRoute(location.hash));
    window.addEventListener('hashchange', sync);
    window.addEventListener('popstate', sync);
  }

  get current(): ViewId {
    return this.route.view;
  }

  /** `replace` rewrites the current history entry (a conversation that is gone is not one to go back to). */
  go(view: ViewId, id: number | null = null, options: { replace?: boolean } = {}): void {
    this.route = { view, id };
    const hash = `#/${view}${id === null ? '' : `/${id}`}`;
    if (location.hash === hash) return;
    if (options.replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
  }
}
