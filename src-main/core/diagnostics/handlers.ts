import type { Handlers } from '../rpc/rpc-server';
import type { Diagnostics } from './diagnostics';

export function diagnosticsHandlers(diagnostics: Diagnostics): Pick<Handlers, 'diagnostics.ping'> {
  return {
    'diagnostics.ping': ({ count, intervalMs }) => diagnostics.ping(count, intervalMs),
  };
}
