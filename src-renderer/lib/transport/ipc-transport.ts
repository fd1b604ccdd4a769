import type { ClientMessage, ContractPort, Transport } from '../../../src-shared/wire';

/** The desktop transport: the preload's contract port. IPC cannot drop, so it is always open. */
export function ipcTransport(port: ContractPort): Transport {
  return {
    // JSON round trip: reactive proxies cannot cross the context bridge, and both transports then carry
    // exactly the same data.
    send: (message: ClientMessage) => port.send(JSON.parse(JSON.stringify(message)) as ClientMessage),
    onMessage: (listener) => port.onMessage(listener),
    onStatus: (listener) => {
      listener('open');
      return () => {};
    },
  };
}
