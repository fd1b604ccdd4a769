import { viewIds, type ViewId } from '../../../src-shared/types';

function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '');
  return (viewIds as readonly string[]).includes(id) ? (id as ViewId) : 'chat';
}

/** The current view, mirrored in the URL hash so a reload stays where the user was. */
export class Router {
  current = $state<ViewId>(viewFromHash(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => (this.current = viewFromHash(location.hash)));
  }

  go(view: ViewId): void {
    this.current = view;
    if (location.hash !== `#/${view}`) location.hash = `/${view}`;
  }
}
