/** Input limits, checked in main (and mirrored in the renderer for early feedback). */
export const limits = {
  /** Largest contract message over the WebSocket, and largest HTTP request body. */
  messageBytes: 4 * 1024 * 1024,
  /** Longest method name accepted on the wire. */
  methodNameChars: 100,
  /** Diagnostics ping: how many events and how far apart. */
  pingMaxCount: 20,
  pingMaxIntervalMs: 2000,
} as const;
