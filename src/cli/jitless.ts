// Imported first by main.ts, before any schema is made: zod 4 compiles each object schema into a
// parser (new Function) on its first parse, which pays off over thousands of parses in a long-lived
// process, not in a command that parses a handful of messages and exits.
import { z } from 'zod';

z.config({ jitless: true });
