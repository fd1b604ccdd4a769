import { errorText, type ErrorAction } from './error-text';

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
  action?: { label: string; run: () => void } | undefined;
}

/** Short notices at the bottom of the window, with an optional action (Undo). */
export class ToastState {
  items = $state<Toast[]>([]);
  #nextId = 1;

  show(
    message: string,
    options: { tone?: Toast['tone']; action?: Toast['action']; durationMs?: number } = {},
  ): number {
    const id = this.#nextId++;
    this.items.push({ id, message, tone: options.tone ?? 'info', action: options.action });
    setTimeout(() => this.dismiss(id), options.durationMs ?? (options.action ? 10_000 : 5000));
    return id;
  }

  /** An error from a call, in words chosen by its code and what the person was doing (never raw ids). */
  error(error: unknown, action?: ErrorAction): void {
    this.show(errorText(error, action), { tone: 'error', durationMs: 8000 });
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }
}
