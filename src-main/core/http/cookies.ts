import { parseCookie } from 'cookie';

/**
 * Every value the `Cookie` header carries under `name`, in header order. A browser sends several when
 * same-name cookies differ in Path, and any page on another loopback port can add one (cookies ignore
 * ports), so the real cookie may be any of them. The `cookie` package keeps only the first value of a name,
 * so the header is split into pairs here and the package parses and decodes each one; its decoding never
 * throws (a malformed %-sequence is kept as it is).
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const pair of (header ?? '').split(';')) {
    const value = parseCookie(pair)[name];
    if (value !== undefined) values.push(value);
  }
  return values;
}
