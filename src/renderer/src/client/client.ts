import type { WireError } from '../../../shared/errors';
import type { AppEvent, Bridge, CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../../../shared/ipc';
import { pickBridge } from './transport';

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
}

export function createClient(bridge: Bridge = pickBridge()): Client {
  return {
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

export const client = createClient();
