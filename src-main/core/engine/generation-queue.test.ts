import { describe, expect, it } from 'vitest';
import { GenerationQueue, type QueuedJob } from './generation-queue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function job(id: string, log: string[], gate = deferred()): QueuedJob & { finish: () => void } {
  return {
    id,
    run: async () => {
      log.push(`start ${id}`);
      await gate.promise;
      log.push(`end ${id}`);
    },
    cancelled: () => log.push(`cancelled ${id}`),
    finish: gate.resolve,
  };
}

describe('GenerationQueue', () => {
  it('runs jobs one at a time in arrival order (C1)', async () => {
    const log: string[] = [];
    const queue = new GenerationQueue(8);
    const jobs = ['a', 'b', 'c'].map((id) => job(id, log));
    expect(jobs.map((j) => queue.enqueue(j))).toEqual([0, 1, 2]);
    expect(queue.running).toBe('a');
    expect(queue.waiting).toBe(2);
    for (const j of jobs) {
      j.finish();
      await new Promise((r) => setTimeout(r, 0));
    }
    await queue.idle();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('refuses new jobs as busy when the waiting line is full', () => {
    const queue = new GenerationQueue(2);
    const log: string[] = [];
    queue.enqueue(job('run', log));
    queue.enqueue(job('w1', log));
    queue.enqueue(job('w2', log));
    expect(() => queue.enqueue(job('w3', log))).toThrow(expect.objectContaining({ code: 'busy' }));
  });

  it('cancels a waiting job, which then never runs', async () => {
    const log: string[] = [];
    const queue = new GenerationQueue(8);
    const first = job('a', log);
    queue.enqueue(first);
    queue.enqueue(job('b', log));
    expect(queue.cancel('b')).toBe(true);
    expect(queue.cancel('a')).toBe(false);
    expect(queue.cancel('nope')).toBe(false);
    first.finish();
    await queue.idle();
    expect(log).toEqual(['start a', 'cancelled b', 'end a']);
  });

  it('keeps going after a job fails', async () => {
    const queue = new GenerationQueue(8);
    const log: string[] = [];
    queue.enqueue({ id: 'bad', run: () => Promise.reject(new Error('boom')), cancelled: () => {} });
    const ok = job('ok', log);
    queue.enqueue(ok);
    ok.finish();
    await new Promise((r) => setTimeout(r, 10));
    await queue.idle();
    expect(log).toEqual(['start ok', 'end ok']);
  });
});
