// What went wrong in a call to the API server, in the server's own words.
import { isConnectionError } from '../engines/errors';

interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
}

function statusBody(error: unknown): StatusBody | undefined {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return body ? { message: body } : undefined;
    }
  }
  return body && typeof body === 'object' ? (body as StatusBody) : undefined;
}

/** The HTTP status of a failed call (ApiException.code), or undefined when none came. */
export function kubeStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export function kubeMessage(error: unknown): string {
  const body = statusBody(error);
  if (body?.message) return body.message;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** No answer at all (refused, reset, DNS, TLS): the cluster is unreachable, not refusing. */
export function kubeUnreachable(error: unknown): boolean {
  if (kubeStatus(error) !== undefined && kubeStatus(error)! < 600 && kubeStatus(error)! >= 100 && statusBody(error)) return false;
  if (isConnectionError(error)) return true;
  const e = error as { code?: unknown; type?: unknown; errno?: unknown; cause?: unknown; message?: unknown } | null;
  if (e?.type === 'system' || typeof e?.errno === 'string') return true;
  if (e?.cause && isConnectionError(e.cause)) return true;
  return typeof e?.message === 'string' && /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|socket hang up|certificate|self[- ]signed/i.test(e.message);
}
