import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRequest, queryToken, sessionCookieName } from './guard';

const port = 4321;
const token = 'right-token-0123456789';
const cookieName = sessionCookieName(port);

function request(headers: Record<string, string>, url = '/'): IncomingMessage {
  return { url, headers: { host: `127.0.0.1:${port}`, ...headers } } as unknown as IncomingMessage;
}

const verdictFor = (cookie: string) => checkRequest(request({ cookie }), { token, port });

describe('guard: session cookies (TEST-CATALOG S6)', () => {
  it('a cookie with bad %-encoding is not a token: 401, and nothing throws', () => {
    for (const value of ['%E0%A4%A', '%', '%zz', '%00%']) {
      expect(() => verdictFor(`${cookieName}=${value}`)).not.toThrow();
      expect(verdictFor(`${cookieName}=${value}`)).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('several same-name cookies where only the last is valid: ok', () => {
    const header = `${cookieName}=%E0%A4%A; other=1; ${cookieName}=wrong; ${cookieName}=${token}`;
    expect(verdictFor(header)).toEqual({ ok: true });
  });

  it('several same-name cookies, none valid: 401', () => {
    expect(verdictFor(`${cookieName}=%E0%A4%A; ${cookieName}=wrong`)).toMatchObject({ status: 401 });
  });

  it("another port's session cookie is not this host's", () => {
    expect(verdictFor(`${sessionCookieName(port + 1)}=${token}`)).toMatchObject({ status: 401 });
  });

  it('decodes a %-encoded valid cookie', () => {
    const encoded = checkRequest(request({ cookie: `${cookieName}=a%2Bb` }), { token: 'a+b', port });
    expect(encoded).toEqual({ ok: true });
  });
});

describe('guard: request targets that break URL parsing', () => {
  it('never throws and finds no token where there is none', () => {
    for (const url of ['//', '///', '//evil.example/x', '/\\evil.example', '*', 'http://evil.example/', '']) {
      expect(() => queryToken(request({}, url))).not.toThrow();
      expect(checkRequest(request({}, url), { token, port })).toMatchObject({ status: 401 });
    }
  });

  it('still reads the query token behind a path that looks like a host', () => {
    expect(queryToken(request({}, `//evil.example/?token=${token}`))).toBe(token);
  });
});
