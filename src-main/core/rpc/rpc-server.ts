/**
 * The backend end of the contract: validates every request against its schema, dispatches it to a handler,
 * and pushes events: most to every connection, an answer's (`followedEvents`) only to the connections that
 * follow its conversation. Transports (IPC, WebSocket, HTTP) only move messages.
 */
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import { limits } from '../../../src-shared/limits';
import {
  answerStartingMethods,
  followedEvents,
  requestSchemas,
  testSurfaceMethods,
  type EventName,
  type Method,
  type Result,
  type ValidParams,
} from '../../../src-shared/rpc';
import type { Outcome, ResponseMessage, ServerMessage } from '../../../src-shared/wire';
import type { EventBus } from '../event-bus';

export type Handlers = {
  [M in Method]: (params: ValidParams<M>, connection: ConnectionContext) => Promise<Result<M>> | Result<M>;
};

/** What a handler may know of the connection a request came on. */
export interface ConnectionContext {
  /** The conversations whose answers this connection is sent, replacing the earlier set. */
  follow(conversationIds: readonly number[]): void;
}

export interface Connection {
  /** Hands one incoming message (already decoded, untrusted) to the server. */
  receive(message: unknown): void;
  close(): void;
}

const requestEnvelope = z.strictObject({
  type: z.literal('request'),
  id: z.int().nonnegative(),
  method: z.string().max(limits.methodNameChars),
  params: z.unknown(),
});

/** The id used to answer a message too malformed to carry its own. */
export const malformedMessageId = -1;

export interface RpcServerOptions {
  onInternalError: (error: unknown, method: string) => void;
  /**
   * Turns a library's error a person can act on (a locked database) into an AppError; anything it returns
   * unchanged is an internal error.
   */
  translate?: (error: unknown) => unknown;
  /** Where `onInternalError` writes the details, named in the message the caller gets. */
  logFile?: string | null;
  /** Serve the methods only tests call (`testSurfaceMethods`): never in a packaged app. */
  testSurface?: boolean;
}

const testSurface: ReadonlySet<string> = new Set(testSurfaceMethods);
const answerStarting: ReadonlySet<string> = new Set(answerStartingMethods);
const followed: ReadonlySet<EventName> = new Set(followedEvents);

interface Peer {
  send(message: ServerMessage): void;
  /** The conversations the connection said it shows (`answers.follow`). */
  following: Set<number>;
  /** Those it started an answer in: followed until that answer ends, whatever it says it shows. */
  started: Set<number>;
}

/** A request that came on no connection (the HTTP transport): it follows nothing. */
const detached: ConnectionContext = { follow: () => {} };

export class RpcServer {
  #handlers: Handlers;
  #peers = new Set<Peer>();
  #onInternalError: (error: unknown, method: string) => void;
  #translate: (error: unknown) => unknown;
  #internalErrorMessage: string;
  #testSurface: boolean;

  constructor(handlers: Handlers, bus: EventBus, options: RpcServerOptions) {
    this.#handlers = handlers;
    this.#onInternalError = options.onInternalError;
    this.#translate = options.translate ?? ((error) => error);
    this.#internalErrorMessage = internalErrorMessage(options.logFile ?? null);
    this.#testSurface = options.testSurface ?? false;
    bus.subscribe((name, payload) => {
      const conversationId = followed.has(name)
        ? (payload as { conversationId: number }).conversationId
        : null;
      for (const peer of this.#peers) {
        if (conversationId === null) peer.send({ type: 'event', name, payload });
        else if (peer.following.has(conversationId) || peer.started.has(conversationId)) {
          peer.send({ type: 'event', name, payload });
          if (name === 'answer.ended') peer.started.delete(conversationId);
        }
      }
    });
  }

  connect(send: (message: ServerMessage) => void): Connection {
    const peer: Peer = { send, following: new Set(), started: new Set() };
    const context: ConnectionContext = {
      follow: (ids) => (peer.following = new Set(ids)),
    };
    this.#peers.add(peer);
    return {
      receive: (message) => {
        const envelope = requestEnvelope.safeParse(message);
        if (!envelope.success) {
          send(failure(malformedMessageId, invalidInput('Malformed contract message', envelope.error)));
          return;
        }
        const { id, method, params } = envelope.data;
        void this.handle(method, params, context, peer).then((outcome) =>
          send({ type: 'response', id, ...outcome }),
        );
      },
      close: () => this.#peers.delete(peer),
    };
  }

  /** Runs one request to completion; never throws. Used directly by the HTTP transport. */
  async handle(method: string, params: unknown, context = detached, peer?: Peer): Promise<Outcome> {
    try {
      const result = await this.#dispatch(method, params, context);
      // Whoever starts an answer follows it, whatever else it follows.
      if (peer && answerStarting.has(method))
        peer.started.add((result as { conversationId: number }).conversationId);
      return { ok: true, result };
    } catch (thrown) {
      const error = this.#translate(thrown);
      if (error instanceof AppError) return { ok: false, error: error.toWire() };
      this.#onInternalError(error, method);
      return { ok: false, error: { code: 'internal', message: this.#internalErrorMessage } };
    }
  }

  async #dispatch(method: string, params: unknown, context: ConnectionContext): Promise<unknown> {
    // Own keys only, so `__proto__` or `constructor` can never name a handler.
    if (!Object.hasOwn(requestSchemas, method) || (!this.#testSurface && testSurface.has(method)))
      throw new AppError('invalid_input', `Unknown method: ${method}`);
    const name = method as Method;
    const parsed = requestSchemas[name].safeParse(params);
    if (!parsed.success) throw invalidInput(`Invalid parameters for ${name}`, parsed.error);
    const handler = this.#handlers[name] as (params: unknown, context: ConnectionContext) => unknown;
    return await handler(parsed.data, context);
  }
}

/** What the caller of a failed request is told; the details stay in the log. */
export function internalErrorMessage(logFile: string | null): string {
  return logFile
    ? `Internal error; see the log for details: ${logFile}`
    : 'Internal error; see the log on stderr for details.';
}

function invalidInput(message: string, error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const summary = first ? `${message}: ${first.path ? `${first.path}: ` : ''}${first.message}` : message;
  return new AppError('invalid_input', summary, { issues });
}

function failure(id: number, error: AppError): ResponseMessage {
  return { type: 'response', id, ok: false, error: error.toWire() };
}
