import { rawRequest } from '../../src-main/test-support/http-request';
import type { RunningWebHost } from './web-host';

/** Calls the contract over the web host's HTTP endpoint, as a script with the session token would. */
export async function hostCall<T = unknown>(
  host: RunningWebHost,
  method: string,
  params: unknown,
): Promise<T> {
  const response = await rawRequest(host.port, {
    method: 'POST',
    path: '/rpc',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ method, params }),
  });
  const outcome = JSON.parse(response.body) as {
    ok: boolean;
    result?: T;
    error?: { code: string; message: string };
  };
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error?.code} ${outcome.error?.message}`);
  return outcome.result as T;
}
