/** The engine could not be reached at all (as opposed to answering with an error). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && ['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', 'EACCES'].includes(code)) {
    return true;
  }
  return /socket hang up|connect ECONNREFUSED|read ECONNRESET/.test(error.message);
}

/** HTTP status of an engine API error (dockerode sets statusCode). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const s = (error as { statusCode: unknown }).statusCode;
    return typeof s === 'number' ? s : undefined;
  }
  return undefined;
}

/** The engine's own sentence, without dockerode's "(HTTP code 404) no such image - " prefix noise. */
export function engineMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const json = (error as { json?: unknown }).json;
    if (json && typeof json === 'object' && 'message' in json && typeof (json as { message: unknown }).message === 'string') {
      return (json as { message: string }).message;
    }
    if (error instanceof Error) return error.message;
  }
  return String(error);
}

/**
 * What `docker run` would exit with when the engine refuses to start the command:
 * 127 command not found, 126 not executable, 125 anything else the engine could not do.
 */
export function startFailureExitCode(message: string): number {
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(message)) return 127;
  if (/permission denied|not executable/i.test(message)) return 126;
  return 125;
}

/**
 * Podman's init (catatonit) exits 1 when it cannot exec the command, where Docker's (tini)
 * exits 127 as a shell would. Read catatonit's own last words to give the same code on both.
 */
export function initExecFailureExitCode(exitCode: number | null, stderrTail: string): number | null {
  if (exitCode !== 1) return exitCode;
  const m = /catatonit[^\n]*failed to exec pid1: ([^\n]*)/.exec(stderrTail);
  if (!m) return exitCode;
  return /permission denied/i.test(m[1] ?? '') ? 126 : 127;
}
