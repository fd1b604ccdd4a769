import type { EngineState } from '../../../src-shared/types';

/**
 * What the app says about the engine process after it stopped unexpectedly: `recovering` while it is
 * started again and given its model back, `failed` once it gave up, `recovered` for a while after it is
 * back; `idle` otherwise (also before any stop, and for an engine without its own process).
 */
export type RecoveryPhase = 'idle' | 'recovering' | 'failed' | 'recovered';

export interface Recovery {
  phase: RecoveryPhase;
  /** When the last stop this has seen happened (`lastCrash.at`): an older one is not news. */
  crashAt: number | null;
  /** An answer was being written when it stopped (it was saved as interrupted). */
  answerLost: boolean;
  /** `recovered` without the model it had: loading it again failed. */
  modelLost: boolean;
  /** Before a stop: what was being written and whether a model was (being) loaded, from the last state. */
  lastRunning: string | null;
  hadModel: boolean;
  /** The model has been asked back during this recovery (it is loading or has loaded). */
  reloadSeen: boolean;
  /** A state with a process has been seen: before, a stop found running again is old (a page reload). */
  observed: boolean;
}

export const initialRecovery: Recovery = {
  phase: 'idle',
  crashAt: null,
  answerLost: false,
  modelLost: false,
  lastRunning: null,
  hadModel: false,
  reloadSeen: false,
  observed: false,
};

/** The next phase from the engine's state as it arrives (each `engine.state` event, each re-read). */
export function nextRecovery(previous: Recovery, state: EngineState): Recovery {
  const process = state.process;
  if (!process) return { ...initialRecovery };
  const crashAt = process.lastCrash?.at ?? null;
  const firstRunning = !previous.observed && process.status === 'running';
  const newCrash = crashAt !== null && crashAt !== previous.crashAt && !firstRunning;
  previous = { ...previous, observed: true };
  // A stop is told by a state without the answer or the model (the process's are gone with it): what it
  // had comes from the state before.
  const ongoing = previous.phase === 'recovering' || previous.phase === 'failed';
  const stopped = newCrash
    ? {
        crashAt,
        // Stopped again while being given its model back: the answer lost the first time still was.
        answerLost: (ongoing && previous.answerLost) || previous.lastRunning !== null,
        hadModel: previous.hadModel,
        reloadSeen: false,
      }
    : {};

  switch (process.status) {
    case 'failed':
      return { ...previous, ...stopped, phase: 'failed', modelLost: false, lastRunning: null };
    case 'restarting':
      return { ...previous, ...stopped, phase: 'recovering', modelLost: false, lastRunning: null };
    case 'starting':
      // Started again after a stop (by itself or by Try again): still recovering. A first start is not news.
      if (newCrash || ongoing)
        return { ...previous, ...stopped, phase: 'recovering', modelLost: false, lastRunning: null };
      return { ...previous, crashAt, lastRunning: null, hadModel: false };
    case 'running': {
      const seen = {
        crashAt,
        lastRunning: state.running,
        hadModel: state.model !== null || state.loading !== null,
      };
      if (!ongoing && !newCrash) return { ...previous, ...seen };
      const base = newCrash ? { ...previous, ...stopped } : previous;
      const reloadSeen = base.reloadSeen || state.loading !== null || state.model !== null;
      // Back once it has the model it had again (or had none to give back), or gave up loading it.
      const waiting = state.loading !== null || (base.hadModel && state.model === null && !reloadSeen);
      if (waiting)
        return {
          ...base,
          ...seen,
          hadModel: base.hadModel || seen.hadModel,
          phase: 'recovering',
          reloadSeen,
        };
      return {
        ...base,
        ...seen,
        phase: 'recovered',
        reloadSeen,
        modelLost: base.hadModel && state.model === null,
      };
    }
  }
}

/** The shown phase ends (dismissed, or its time is up); the stop stays known so it is not told again. */
export function dismissRecovery(previous: Recovery): Recovery {
  return previous.phase === 'recovered' ? { ...previous, phase: 'idle' } : previous;
}

/**
 * Running again with nothing loading and the model it had not back, for a while: loading it again must
 * have failed before it began. Said as back, without the model, rather than "restarting" for ever.
 */
export function settleRecovery(previous: Recovery, state: EngineState): Recovery {
  if (previous.phase !== 'recovering' || state.process?.status !== 'running' || state.loading)
    return previous;
  return { ...previous, phase: 'recovered', modelLost: previous.hadModel && state.model === null };
}
