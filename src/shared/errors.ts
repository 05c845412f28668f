import { z } from 'zod';

export const ErrorCode = z.enum([
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'ENGINE',
  'STORE',
  'UNKNOWN_COMMAND',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const Issue = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof Issue>;

/** The error that crosses the process boundary: a code the UI can branch on and a sentence for people. */
export const WireError = z.object({ code: ErrorCode, message: z.string(), issues: z.array(Issue).optional() });
export type WireError = z.infer<typeof WireError>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
  toWire(): WireError {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

/** "spec.limits.memory" style paths, as the user would find the field in a file. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('') || '(root)';
}

/** Issues as one line of words: "path: message; message", as a command line or an error message says them. */
export function issuesText(issues: readonly Issue[]): string {
  return issues.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

export function validationError(what: string, error: z.ZodError): AppError {
  const issues = zodIssues(error);
  const first = issues[0];
  const detail = first ? `: ${first.path}: ${first.message}` : '';
  return new AppError('VALIDATION', `invalid ${what}${detail}`, issues);
}
