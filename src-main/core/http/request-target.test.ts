import { describe, expect, it } from 'vitest';
import { parseRequestTarget, sameOriginLocation } from './request-target';

describe('parseRequestTarget', () => {
  it('keeps targets that look like hosts as paths', () => {
    expect(parseRequestTarget('//evil.example/x')?.pathname).toBe('//evil.example/x');
    expect(parseRequestTarget('//')?.pathname).toBe('//');
    expect(parseRequestTarget('/\\evil.example')?.host).toBe('request-target.invalid');
  });

  it('refuses targets that are not paths, without throwing', () => {
    for (const target of [undefined, '', '*', 'http://evil.example/', 'evil.example:80']) {
      expect(parseRequestTarget(target)).toBeNull();
    }
  });

  it('reads absurd queries without throwing', () => {
    // URLSearchParams decodes leniently: a broken sequence becomes U+FFFD rather than an exception.
    expect(parseRequestTarget('/?%%%&&==&token=%E0%A4%A')?.searchParams.get('token')).toBe('\uFFFD%A');
  });
});

describe('sameOriginLocation', () => {
  it('never produces a protocol-relative Location', () => {
    for (const target of ['/.//evil.com', '//evil.com', '/\\evil.com', '/./\\/evil.com', '/%2e//evil.com']) {
      const location = sameOriginLocation(parseRequestTarget(target)!);
      expect(location).toMatch(/^\/[^/\\]/);
    }
  });

  it('keeps the path and query', () => {
    expect(sameOriginLocation(parseRequestTarget('/a/b?x=1')!)).toBe('/a/b?x=1');
    expect(sameOriginLocation(parseRequestTarget('/')!)).toBe('/');
  });
});
