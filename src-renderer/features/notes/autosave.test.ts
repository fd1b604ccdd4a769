import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave } from './autosave';

interface Changes {
  title: string;
  body: string;
}

/** A store whose saves resolve only when the test says so. */
function slowStore() {
  const calls: { changes: Partial<Changes>; resolve: () => void; reject: (error: Error) => void }[] = [];
  const save = (changes: Changes) =>
    new Promise<void>((resolve, reject) => calls.push({ changes: { ...changes }, resolve, reject }));
  return { calls, save };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Autosave', () => {
  it('saves the changed fields once typing pauses', async () => {
    const save = vi.fn((_changes: Changes) => Promise.resolve());
    const draft = new Autosave<Changes>({ save });
    draft.edit({ body: 'a' });
    draft.edit({ body: 'ab' });
    expect(draft.state).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(599);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledExactlyOnceWith({ body: 'ab' });
    expect(draft.state).toBe('saved');
    expect(draft.dirty).toBe(false);
  });

  it('still saves every second while typing goes on', async () => {
    const save = vi.fn((_changes: Changes) => Promise.resolve());
    const draft = new Autosave<Changes>({ save });
    let text = '';
    for (let key = 0; key < 25; key++) {
      text += 'x';
      draft.edit({ body: text });
      await vi.advanceTimersByTimeAsync(100);
    }
    // 2.5 s of typing, a key every 100 ms: the debounce never fires, the max wait does.
    expect(save.mock.calls.length).toBeGreaterThanOrEqual(2);
    for (const [changes] of save.mock.calls) expect(changes.body.length).toBeGreaterThan(0);
  });

  it('never has two saves in flight, and merges what is typed meanwhile into one', async () => {
    const store = slowStore();
    const draft = new Autosave<Changes>({ save: store.save });
    draft.edit({ body: 'one' });
    void draft.flush();
    expect(store.calls).toHaveLength(1);
    draft.edit({ body: 'one two' });
    draft.edit({ title: 'T' });
    void draft.flush();
    draft.edit({ body: 'one two three' });
    void draft.flush();
    expect(store.calls).toHaveLength(1);
    expect(draft.unsaved).toEqual({ body: 'one two three', title: 'T' });
    store.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls).toHaveLength(2);
    expect(store.calls[1]!.changes).toEqual({ body: 'one two three', title: 'T' });
    store.calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(draft.state).toBe('saved');
  });

  it('keeps the text of a failed save under newer edits and retries it', async () => {
    const store = slowStore();
    const failed = vi.fn(() => true);
    const draft = new Autosave<Changes>({ save: store.save, failed });
    draft.edit({ title: 'Kept', body: 'first' });
    void draft.flush();
    draft.edit({ body: 'second' });
    store.calls[0]!.reject(new Error('offline'));
    await vi.advanceTimersByTimeAsync(0);
    expect(draft.state).toBe('failed');
    expect(failed).toHaveBeenCalledOnce();
    expect(draft.unsaved).toEqual({ title: 'Kept', body: 'second' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.calls).toHaveLength(2);
    expect(store.calls[1]!.changes).toEqual({ title: 'Kept', body: 'second' });
    store.calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(draft.state).toBe('saved');
    expect(draft.error).toBeNull();
  });

  it('does not retry by itself what retrying cannot mend, but keeps it for the next flush', async () => {
    const save = vi.fn((_changes: Changes) => Promise.reject(new Error('refused')));
    const draft = new Autosave<Changes>({ save, failed: () => false });
    draft.edit({ body: 'too long' }, { immediate: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(save).toHaveBeenCalledOnce();
    expect(draft.state).toBe('failed');
    expect(draft.dirty).toBe(true);
    await draft.flush();
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('sends at once when the page goes away, even beside a save in flight', () => {
    const store = slowStore();
    const draft = new Autosave<Changes>({ save: store.save });
    draft.edit({ body: 'a' });
    void draft.flush();
    draft.edit({ body: 'ab' });
    draft.flushFinal();
    expect(store.calls.map((call) => call.changes)).toEqual([{ body: 'a' }, { body: 'ab' }]);
  });
});
