/**
 * Reading the request target (`/path?query`) of a local HTTP request. `new URL(target, base)` is not safe
 * for this: it throws for `//`, and reads `//evil.example/x` as another host. Here the target is appended
 * to a fixed origin, so it can only ever be a path and a query.
 */
const fixedOrigin = 'http://request-target.invalid';

/**
 * The parsed target, or null when it is not in origin form (absolute `http://…` or `*`, which only proxies
 * need) or cannot be read. Never throws.
 */
export function parseRequestTarget(target: string | undefined): URL | null {
  if (target === undefined || !target.startsWith('/')) return null;
  try {
    const url = new URL(`${fixedOrigin}${target}`);
    return url.origin === fixedOrigin ? url : null;
  } catch {
    return null;
  }
}

/**
 * A target as a same-origin `Location`: exactly one leading slash, since a browser reads `//host` (and
 * `/\host`) as another site.
 */
export function sameOriginLocation(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;
}
