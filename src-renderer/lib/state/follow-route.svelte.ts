import { untrack } from 'svelte';
import { isAppError } from '../../../src-shared/errors';
import { api } from '../api';
import type { Router } from './router.svelte';

/** A view's state that shows one conversation at a time. */
interface OpensConversations {
  conversationId: number | null;
  open(id: number | null): Promise<void>;
}

/**
 * The URL names the open conversation: open it whenever the URL changes. A view changing its own
 * conversation (a first message) updates the URL, not the other way round. Call during component setup.
 *
 * A view never shows a conversation that no longer exists: when the one the URL names is deleted (from
 * any sidebar, a bulk delete, another window, a restored backup) or the view lets go of it, and the store
 * confirms it is gone, the view closes it — the URL goes to the view's empty state, which opens nothing.
 */
export function followRoute(
  router: Router,
  view: OpensConversations,
  afterChange?: (id: number | null) => void,
): void {
  $effect(() => {
    const id = router.route.id;
    untrack(() => {
      if (id !== view.conversationId) void view.open(id);
      // Already open in this view's state (kept while another view was shown): it may be gone since.
      else if (id !== null) void closeIfGone(router, id);
      afterChange?.(id);
    });
  });

  // The view let go of the conversation the URL names (it could not be read or was deleted).
  $effect(() => {
    if (view.conversationId !== null) return;
    const id = untrack(() => router.route.id);
    if (id !== null) void closeIfGone(router, id);
  });

  // Deleted or restored conversations (an empty list: the whole history changed).
  $effect(() =>
    api.on('conversations.changed', ({ ids }) => {
      const id = router.route.id;
      if (id !== null && (ids.length === 0 || ids.includes(id))) void closeIfGone(router, id);
    }),
  );
}

/** Goes to the view's empty state if the conversation in the URL no longer exists. */
async function closeIfGone(router: Router, id: number): Promise<void> {
  const { view } = router.route;
  try {
    await api.call('conversations.get', { id });
  } catch (error) {
    if (isAppError(error, 'not_found') && router.route.view === view && router.route.id === id) {
      router.go(view, null, { replace: true });
    }
  }
}
