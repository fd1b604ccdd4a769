export {};

declare global {
  interface Window {
    harness: {
      setText(text: string): void;
      openedLinks: string[];
      stream(pieces: string[]): number[];
      streamFull(prefix: string, pieces: string[]): number[];
    };
  }
}
