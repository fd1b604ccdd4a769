import { describe, expect, it } from 'vitest';
import type { EngineProcess, EngineState, LoadedModel } from '../../../src-shared/types';
import {
  dismissRecovery,
  initialRecovery,
  nextRecovery,
  settleRecovery,
  type Recovery,
} from './engine-recovery';

const model = { file: { path: '/models/phi-2.gguf' } } as LoadedModel;
const crash = {
  message: 'The engine process stopped unexpectedly (SIGKILL) while writing an answer.',
  at: 1000,
};

function state(process: Partial<EngineProcess> | null, engine: Partial<EngineState> = {}): EngineState {
  return {
    model: null,
    loading: null,
    running: null,
    queued: 0,
    ...engine,
    process: process && {
      status: 'running',
      pid: 42,
      memory: null,
      lastCrash: null,
      failure: null,
      ...process,
    },
  };
}

function run(...states: EngineState[]): Recovery {
  return states.reduce(nextRecovery, initialRecovery);
}

describe('nextRecovery', () => {
  it('says nothing about a first start, nor about a stop long before the page opened', () => {
    expect(run(state({ status: 'starting' }), state({}, { model })).phase).toBe('idle');
    expect(run(state({ lastCrash: crash }, { model })).phase).toBe('idle');
    expect(run(state(null)).phase).toBe('idle');
  });

  it('follows a stop mid-answer through the restart and the model loading again', () => {
    const steps = [
      state({}, { model, running: 'answer-1' }),
      state({ status: 'restarting', pid: null, lastCrash: crash }),
      state({ status: 'starting', lastCrash: crash }),
      state({ lastCrash: crash }),
      state({ lastCrash: crash }, { loading: { path: model.file.path, progress: 0.5 } }),
    ];
    let recovery = initialRecovery;
    for (const step of steps) {
      recovery = nextRecovery(recovery, step);
      if (step.process?.status !== 'running' || step.model === null)
        expect(recovery.phase).toBe('recovering');
    }
    recovery = nextRecovery(recovery, state({ lastCrash: crash }, { model }));
    expect(recovery).toMatchObject({ phase: 'recovered', answerLost: true, modelLost: false });
    // Dismissed, it stays told: more states of the same stop do not bring it back.
    recovery = nextRecovery(dismissRecovery(recovery), state({ lastCrash: crash }, { model }));
    expect(recovery.phase).toBe('idle');
  });

  it('is back at once when no model was loaded, and tells no lost answer', () => {
    const recovery = run(
      state({}),
      state({ status: 'restarting', lastCrash: crash }),
      state({ status: 'starting', lastCrash: crash }),
      state({ lastCrash: crash }),
    );
    expect(recovery).toMatchObject({ phase: 'recovered', answerLost: false });
  });

  it('keeps the lost answer through a second stop while reloading, then gives up and tries again', () => {
    const second = { ...crash, at: 2000 };
    let recovery = run(
      state({}, { model, running: 'answer-1' }),
      state({ status: 'restarting', lastCrash: crash }),
      state({ lastCrash: crash }, { loading: { path: model.file.path, progress: 0.1 } }),
      state({ status: 'failed', lastCrash: second, failure: 'It stopped 3 times.' }),
    );
    expect(recovery).toMatchObject({ phase: 'failed', answerLost: true });
    recovery = nextRecovery(recovery, state({ status: 'starting', lastCrash: second }));
    expect(recovery.phase).toBe('recovering');
    recovery = nextRecovery(recovery, state({ lastCrash: second }, { model }));
    expect(recovery).toMatchObject({ phase: 'recovered', answerLost: true });
  });

  it('waits for the model it had, and settles without it when loading it again never began', () => {
    let recovery = run(state({}, { model }), state({ status: 'restarting', lastCrash: crash }));
    const idle = state({ lastCrash: crash });
    recovery = nextRecovery(nextRecovery(recovery, idle), idle);
    expect(recovery.phase).toBe('recovering');
    expect(settleRecovery(recovery, idle)).toMatchObject({ phase: 'recovered', modelLost: true });
  });
});
