import type { z } from 'zod';

/** A schema, or a function that makes it. */
type Made<T> = T | (() => T);
const make = <T>(m: Made<T>): T => (typeof m === 'function' ? (m as () => T)() : m);

/**
 * A command of the contract (src/shared/ipc.ts): its input and output schemas, each made the
 * first time it is read, then kept. A client that sends a few commands (the CLI, one process a
 * command) so builds theirs only, not the whole contract's as the module loads. A schema given as
 * it is (not as a function) is taken as it is.
 */
export const cmd = <I extends z.ZodType, O extends z.ZodType>(input: Made<I>, output: Made<O>): { readonly input: I; readonly output: O } => {
  let i: I | undefined;
  let o: O | undefined;
  return {
    get input() {
      return (i ??= make(input));
    },
    get output() {
      return (o ??= make(output));
    },
  };
};
