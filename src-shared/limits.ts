/** Input limits, checked in main (and mirrored in the renderer for early feedback). */
export const limits = {
  /**
   * Largest contract message over the WebSocket, and largest HTTP request body: room for an exported
   * conversation of `importedMessages` messages to be imported back.
   */
  messageBytes: 64 * 1024 * 1024,
  /** Messages in one imported conversation. */
  importedMessages: 200_000,
  /** Longest method name accepted on the wire. */
  methodNameChars: 100,
  /** Diagnostics ping: how many events and how far apart. */
  pingMaxCount: 20,
  pingMaxIntervalMs: 2000,
  /** One message's text. Far above what fits a 2048-token context, so long pastes get a token count. */
  messageChars: 100_000,
  /** The system text (preamble). */
  systemChars: 20_000,
  /** Turns sent with one request. */
  turns: 1000,
  /** Longest file path accepted. */
  pathChars: 4096,
  /** Generations waiting behind the running one before new requests are refused as busy. */
  queuedGenerations: 8,
  /** Conversations one connection can follow the answers of at once (each open view follows one). */
  followedConversations: 50,
  maxTokens: 4096,
  contextSize: 131_072,
  threads: 256,
  gpuLayers: 1000,
  sequences: 8,
  /** A physics problem typed into the tutor or the mistake check. */
  problemChars: 4000,
  /** A student's worked solution, and how many steps (non-empty lines) it may have. */
  solutionChars: 8000,
  solutionSteps: 25,
  /** A note's body: a long chapter, far below the import cap. */
  noteChars: 2_000_000,
  noteTitleChars: 300,
  /** Largest file a note is imported from (TEST-CATALOG: absurd sizes are refused, not read). */
  importFileBytes: 20 * 1024 * 1024,
  /** Files one import takes from a folder (it reports the rest as skipped). */
  importFiles: 5000,
  /** A final answer typed to be checked ("28 m/s"). */
  answerChars: 100,
} as const;
