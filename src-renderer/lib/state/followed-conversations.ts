import { limits } from '../../../src-shared/limits';
import type { RpcClient } from '../../../src-shared/rpc-client';

/**
 * The conversations this window shows, told to the backend: answers' events (`answer.*`) come only for
 * them. Every AnswerFollower registers its conversation here; the union is sent with `answers.follow`
 * once per change (changes in one task are coalesced) and again after every reconnect, as the backend
 * forgets a connection's set when it drops.
 */
export class FollowedConversations {
  #api: RpcClient;
  #ids = new Map<object, number>();
  /** What the backend was last told on this connection (null: nothing yet). */
  #sent: string | null = null;
  #due = false;
  /** The latest call telling it; settles once it is answered. */
  #told: Promise<void> = Promise.resolve();

  constructor(api: RpcClient) {
    this.#api = api;
    api.onStatus((status) => {
      if (status !== 'open') return;
      this.#sent = null;
      this.flush();
    });
  }

  /** Sets the conversation one follower shows (null: none). */
  set(follower: object, conversationId: number | null): void {
    if (conversationId === null) this.#ids.delete(follower);
    else this.#ids.set(follower, conversationId);
    if (this.#due) return;
    this.#due = true;
    queueMicrotask(() => this.flush());
  }

  /** Tells the backend the set now if it changed: requests sent after this one are handled knowing it. */
  flush(): void {
    this.#due = false;
    const conversationIds = [...new Set(this.#ids.values())]
      .sort((a, b) => a - b)
      .slice(0, limits.followedConversations);
    const key = conversationIds.join(',');
    if (key === this.#sent || this.#api.status !== 'open') return;
    this.#sent = key;
    this.#told = this.#api.call('answers.follow', { conversationIds }).then(
      () => undefined,
      // The connection dropped: the set is sent again once it is back.
      () => {
        if (this.#sent === key) this.#sent = null;
      },
    );
  }

  /** Settles once the backend has answered the latest set sent (or could not be told). */
  told(): Promise<void> {
    return this.#told;
  }
}
