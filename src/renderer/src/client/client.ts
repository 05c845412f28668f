import type { WireError } from '../../../shared/errors';
import type { AppEvent, Bridge, CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../../../shared/ipc';
import { ALWAYS_CONNECTED, type Connection } from './connection';
import { pickTransport } from './transport';

/** A command's typed failure, as it crossed the boundary. */
export class ClientError extends Error {
  readonly code: WireError['code'];
  readonly issues: WireError['issues'];
  constructor(e: WireError) {
    super(e.message);
    this.name = 'ClientError';
    this.code = e.code;
    this.issues = e.issues;
  }
}

export interface Client {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  pathForFile(file: File): string | undefined;
  /** Whether the host is there (always connected in Electron). */
  connection: Connection;
}

export function createClient(bridge: Bridge, connection: Connection = ALWAYS_CONNECTED): Client {
  return {
    connection,
    async invoke(command, input) {
      const result = await bridge.invoke(command, input);
      if (!result.ok) throw new ClientError(result.error);
      return result.value as CommandOutput<typeof command>;
    },
    on(name, listener) {
      return bridge.onEvent((e: AppEvent) => {
        if (e.name === name) listener(e.payload as EventPayload<typeof name>);
      });
    },
    pathForFile(file) {
      return bridge.pathForFile?.(file);
    },
  };
}

const transport = pickTransport();
export const client = createClient(transport.bridge, transport.connection);
/** In the desktop app (the preload's bridge), where the host can open its own dialogs (engines.pickFile). */
export const desktopDialogs = transport.connection === ALWAYS_CONNECTED;
