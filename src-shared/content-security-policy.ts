/**
 * The renderer's Content-Security-Policy, defined once: the build writes it into index.html as a `<meta>`
 * tag (the only way to give it to a page loaded from a file in Electron), and the web host also sends it
 * as a response header.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
