/**
 * The gate in front of every local HTTP endpoint (browser-mode web host; later the local API): only this
 * machine's loopback name in `Host` (DNS-rebinding defence), no foreign `Origin` (cross-site pages), and the
 * session token from the URL, a bearer header or the session cookie.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookieValues } from './cookies';
import { parseRequestTarget } from './request-target';

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export interface GuardOptions {
  token: string;
  port: number;
}

export const tokenQueryParam = 'token';

export function sessionCookieName(port: number): string {
  // Cookies ignore ports, so two hosts on one machine must not share a name.
  return `phidesk_session_${port}`;
}

export function loopbackOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function checkRequest(request: IncomingMessage, options: GuardOptions): GuardVerdict {
  const host = request.headers.host ?? '';
  if (!loopbackOrigins(options.port).some((origin) => origin === `http://${host}`)) {
    return { ok: false, status: 403, reason: 'Foreign Host header' };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !loopbackOrigins(options.port).includes(origin)) {
    return { ok: false, status: 403, reason: 'Foreign Origin header' };
  }
  const presented = presentedTokens(request, options.port);
  if (presented.length === 0) return { ok: false, status: 401, reason: 'Missing session token' };
  // Every candidate is compared, each in constant time: which one matched is no secret.
  const matches = presented.filter((candidate) => sameSecret(candidate, options.token));
  if (matches.length === 0) return { ok: false, status: 401, reason: 'Wrong session token' };
  return { ok: true };
}

/** The token in the query string, if any: the host trades it for a cookie and a clean URL. */
export function queryToken(request: IncomingMessage): string | null {
  return parseRequestTarget(request.url)?.searchParams.get(tokenQueryParam) ?? null;
}

/**
 * The tokens the request presents, from the first source that has any: a bearer header, the query, or
 * every session cookie (several may share the name; see `cookieValues`).
 */
function presentedTokens(request: IncomingMessage, port: number): string[] {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return [bearer];
  const query = queryToken(request);
  if (query !== null) return [query];
  return cookieValues(request.headers.cookie, sessionCookieName(port));
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
