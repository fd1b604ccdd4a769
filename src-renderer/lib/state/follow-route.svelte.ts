import { untrack } from 'svelte';
import type { Router } from './router.svelte';

/** A view's state that shows one conversation at a time. */
interface OpensConversations {
  conversationId: number | null;
  open(id: number | null): Promise<void>;
}

/**
 * The URL names the open conversation: open it whenever the URL changes. A view changing its own
 * conversation (a first message) updates the URL, not the other way round. Call during component setup.
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
      afterChange?.(id);
    });
  });
}
