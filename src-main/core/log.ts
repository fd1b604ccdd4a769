/** A small leveled logger; one line per entry on stderr so it never mixes with the CLI's stdout. */
export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export function createLogger(scope: string): Logger {
  const write =
    (level: string) =>
    (message: string, ...details: unknown[]): void => {
      console.error(`${new Date().toISOString()} ${level} [${scope}] ${message}`, ...details);
    };
  return { info: write('info '), warn: write('warn '), error: write('error') };
}
