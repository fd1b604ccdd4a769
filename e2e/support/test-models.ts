import { ensureTestModel } from '../../scripts/test-model/ensure-test-model';

/** The generated Phi-2 test model (random weights) that never ends on its own: answers run to the cap. */
export const endlessTestModel = () => ensureTestModel({ endOfTextBias: -30 });
