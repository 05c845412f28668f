import type { z } from 'zod';
import { AppError, zodIssues, type WireError } from '../../shared/errors';
import { commands, isCommandName, type CallContext, type Handlers, type Result } from '../../shared/ipc';

export type Dispatch = (command: unknown, input: unknown, ctx: CallContext) => Promise<Result<unknown>>;

/** Logs the unexpected (non-AppError) failures; never sees secrets because inputs are not logged. */
export type ErrorSink = (command: string, error: unknown) => void;

/**
 * The one wrapper both transports (ipcMain and the headless WebSocket) call: the command must be
 * in the contract, its input must parse, and whatever is thrown comes back as a typed error.
 * Sender checks belong to the transport (they differ), everything else lives here.
 */
export function createDispatcher(handlers: Handlers, onUnexpected: ErrorSink = () => {}): Dispatch {
  return async (command, input, ctx) => {
    if (!isCommandName(command)) {
      return fail({ code: 'UNKNOWN_COMMAND', message: `unknown command ${describe(command)}` });
    }
    const parsed = commands[command].input.safeParse(input ?? {});
    if (!parsed.success) return fail(refused(command, parsed.error));
    try {
      const handler = handlers[command] as (args: unknown, ctx: CallContext) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data, ctx) };
    } catch (error) {
      if (error instanceof AppError) return fail(error.toWire());
      onUnexpected(command, error);
      return fail({ code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
    }
  };
}

/**
 * A refused input reads as its first field's own message ("Image: …", as the schemas in src/shared
 * word them): that is the sentence a toast shows. The issues keep their paths for forms.
 */
function refused(command: string, error: z.ZodError): WireError {
  const issues = zodIssues(error);
  return { code: 'VALIDATION', message: issues[0]?.message ?? `${command} could not read its input`, issues };
}

function fail(error: WireError): Result<never> {
  return { ok: false, error };
}

function describe(value: unknown): string {
  const s = typeof value === 'string' ? value : typeof value;
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}…` : s);
}
