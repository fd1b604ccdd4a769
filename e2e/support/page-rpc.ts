import type { Page } from '@playwright/test';

interface PageRpcWindow {
  __testRpc: {
    call(
      method: string,
      params: unknown,
    ): Promise<{ ok: boolean; result?: unknown; error?: { code: string } }>;
    events: { name: string; payload: unknown }[];
  };
}

/**
 * A second contract client inside the page, on its own WebSocket with the page's session cookie: what any
 * script in the page could do, used to drive the backend directly and watch every event it pushes.
 */
export async function installPageRpc(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const socket = new WebSocket(`ws://${location.host}/rpc`);
    await new Promise((resolve) => (socket.onopen = resolve));
    const pending = new Map<number, (outcome: unknown) => void>();
    const events: { name: string; payload: unknown }[] = [];
    let nextId = 1;
    socket.onmessage = (message: MessageEvent<string>) => {
      const data = JSON.parse(message.data) as { type: string; id: number; name: string; payload: unknown };
      if (data.type === 'event') events.push({ name: data.name, payload: data.payload });
      else pending.get(data.id)?.(data);
    };
    (window as unknown as PageRpcWindow).__testRpc = {
      events,
      call: (method, params) =>
        new Promise((resolve) => {
          const id = nextId++;
          pending.set(id, resolve as (outcome: unknown) => void);
          socket.send(JSON.stringify({ type: 'request', id, method, params }));
        }),
    };
  });
}

export function pageCall(page: Page, method: string, params: unknown) {
  return page.evaluate(
    ([method, params]) => (window as unknown as PageRpcWindow).__testRpc.call(method, params),
    [method, params] as const,
  );
}

export function pageEvents(page: Page, name: string) {
  return page.evaluate(
    (name) => (window as unknown as PageRpcWindow).__testRpc.events.filter((event) => event.name === name),
    name,
  );
}
