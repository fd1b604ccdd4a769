import { ensureTestModel } from '../../scripts/test-model/ensure-test-model';

/** The generated Phi-2 test model (random weights) that never ends on its own: answers run to the cap. */
export const endlessTestModel = () => ensureTestModel({ endOfTextBias: -30 });

/**
 * A wider, deeper endless model: a full answer takes about ten seconds here instead of two, so a test can
 * reload the page while it is still streaming.
 */
export const slowEndlessTestModel = () =>
  ensureTestModel({ endOfTextBias: -30, embedding: 512, layers: 8, feedForward: 2048, heads: 8 });
