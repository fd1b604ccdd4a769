import { requestSchemas } from '../../src-shared/rpc';
import type { Handlers } from '../core/rpc/rpc-server';

/** A full handler table for tests: the given handlers, and every other method failing if called. */
export function handlersWith(overrides: Partial<Handlers>): Handlers {
  const unused = () => {
    throw new Error('This handler is not used in this test.');
  };
  return Object.fromEntries(
    Object.keys(requestSchemas).map((method) => [method, overrides[method as keyof Handlers] ?? unused]),
  ) as Handlers;
}
