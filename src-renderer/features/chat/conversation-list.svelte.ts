import { SvelteSet } from 'svelte/reactivity';
import type { RpcClient } from '../../../src-shared/rpc-client';
import type { ConversationSummary } from '../../../src-shared/types';
import type { ErrorAction } from '../../lib/state/error-text';
import type { ToastState } from '../../lib/state/toasts.svelte';
import { groupByDate } from './date-groups';

const pageSize = 50;

/** The sidebar's conversations: pages, date groups, rename, pin, and delete with undo. */
export class ConversationList {
  items = $state<ConversationSummary[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  selecting = $state(false);
  selected = new SvelteSet<number>();
  /** Updated at each refresh, so "Today" moves on at midnight. */
  now = $state(Date.now());
  groups = $derived(groupByDate(this.items, this.now));

  #api: RpcClient;
  #toasts: ToastState;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: RpcClient, toasts: ToastState) {
    this.#api = api;
    this.#toasts = toasts;
    // Several changes in a row (an answer starting, a rename) refresh once.
    api.on('conversations.changed', () => this.#refreshSoon());
    api.onStatus((status) => status === 'open' && void this.refresh());
    if (api.status === 'open') void this.refresh();
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const limit = Math.max(pageSize, this.items.length);
      const page = await this.#api.call('conversations.list', { limit: Math.min(limit, 200) });
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.now = Date.now();
    } catch {
      // History unavailable: the banner says why.
    } finally {
      this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loading) return;
    this.loading = true;
    try {
      const page = await this.#api.call('conversations.list', { cursor: this.nextCursor, limit: pageSize });
      this.items = [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
    } finally {
      this.loading = false;
    }
  }

  async rename(id: number, title: string): Promise<void> {
    await this.#guard('rename', async () =>
      this.#update(await this.#api.call('conversations.rename', { id, title })),
    );
  }

  async pin(id: number, pinned: boolean): Promise<void> {
    await this.#guard('pin', () => this.#api.call('conversations.pin', { id, pinned }));
  }

  /** Deletes at once and offers Undo for ten seconds (the store keeps them until the next start). */
  async delete(ids: number[]): Promise<void> {
    await this.#guard('delete', async () => {
      const { deleted } = await this.#api.call('conversations.delete', { ids });
      this.selected.clear();
      this.selecting = false;
      this.#toasts.show(deleted === 1 ? 'Conversation deleted.' : `${deleted} conversations deleted.`, {
        action: {
          label: 'Undo',
          run: () => void this.#guard('restore', () => this.#api.call('conversations.restore', { ids })),
        },
      });
    });
  }

  toggleSelected(id: number): void {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
  }

  /** Shows a changed conversation at once, before the refresh that its change event brings. */
  #update(changed: ConversationSummary): void {
    const index = this.items.findIndex((item) => item.id === changed.id);
    if (index !== -1) this.items[index] = changed;
  }

  #refreshSoon(): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.refresh(), 100);
  }

  async #guard(action: ErrorAction, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.#toasts.error(error, action);
    }
  }
}
