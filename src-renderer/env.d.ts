import type { ContractPort } from '../src-shared/wire';

declare global {
  interface Window {
    /** Present only inside the desktop app: the contract's IPC port, exposed by the preload. */
    phidesk?: ContractPort;
  }
}
