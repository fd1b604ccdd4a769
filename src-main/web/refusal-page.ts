/**
 * What a person sees when their browser opens browser mode without a valid session: a page that says what
 * to do, not the JSON a program gets.
 */
const reasons: Record<401 | 403, string> = {
  401: 'This address does not carry this host’s session token, or the token has changed.',
  403: 'This page was opened under another name or from another site than the host accepts.',
};

export function refusalPage(status: 401 | 403): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Phidesk — open the address it printed</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 34rem; padding: 2rem; line-height: 1.5; }
  h1 { font-size: 1.3rem; margin: 0 0 0.75rem; }
  code { font-size: 0.95em; padding: 0.1em 0.35em; border-radius: 4px; background: color-mix(in srgb, CanvasText 10%, transparent); }
</style>
</head>
<body>
<main>
<h1>Open Phidesk from the address it printed</h1>
<p>${reasons[status]}</p>
<p>In the terminal where you started browser mode (<code>npm run serve</code>), Phidesk printed an address
like <code>http://127.0.0.1:5283/?token=…</code>. Open that address once; this browser then keeps the
session, also across restarts of the host.</p>
<p>If the host is not running, start it again. Phidesk only answers on this computer (127.0.0.1).</p>
</main>
</body>
</html>
`;
}
