/** A small leveled logger; one line per entry on stderr so it never mixes with the CLI's stdout. */
export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

const levels = { info: 0, warn: 1, error: 2 } as const;

export function createLogger(scope: string, minLevel: keyof typeof levels = 'info'): Logger {
  const write =
    (level: keyof typeof levels) =>
    (message: string, ...details: unknown[]): void => {
      if (levels[level] < levels[minLevel]) return;
      console.error(`${new Date().toISOString()} ${level.padEnd(5)} [${scope}] ${message}`, ...details);
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
