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

const NETWORK: Record<string, (address: string) => string> = {
  ECONNREFUSED: (a) => `Connection refused: nothing listens on ${a} (is the cluster running, and is the kubeconfig's server address right?)`,
  ENOTFOUND: (a) => `The host name in ${a} is not known (DNS lookup failed): check the kubeconfig's server address, or the VPN`,
  EAI_AGAIN: (a) => `The host name in ${a} could not be looked up now (DNS): check the network or the VPN`,
  ETIMEDOUT: (a) => `No answer from ${a} (timed out): a firewall, a VPN that is off, or the cluster is down`,
  EHOSTUNREACH: (a) => `No route to ${a}: the network or the VPN is down`,
  ECONNRESET: (a) => `The connection to ${a} was cut (reset): the API server or a proxy in between went away`,
  CERT_HAS_EXPIRED: () => "The cluster's certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: () => "The cluster's certificate is self-signed and not in the kubeconfig's certificate-authority data",
  SELF_SIGNED_CERT_IN_CHAIN: () => "The cluster's certificate is not signed by the kubeconfig's certificate authority",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: () => "The cluster's certificate is not signed by the kubeconfig's certificate authority",
  ERR_TLS_CERT_ALTNAME_INVALID: (a) => `The cluster's certificate is made out to another name than ${a}`,
};

/** The first error in the cause chain that carries a system error code (node-fetch's FetchError does). */
function codeOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Why a cluster could not be used, in the user's terms: the address and what to check for a
 * network failure, the credentials for 401, the permission for 403; else the server's own words.
 */
export function clusterProblem(error: unknown, server: string): string {
  const status = kubeStatus(error) ?? kubeStatus((error as { cause?: unknown } | null)?.cause);
  const inner = (error as { cause?: unknown } | null)?.cause ?? error;
  if (status === 401) return 'The cluster refused the credentials of the kubeconfig\'s user (401 Unauthorized): log in again, a token may have expired';
  if (status === 403) return `The kubeconfig's user may not do this (403 Forbidden): ${kubeMessage(inner)}`;
  let address = server;
  try {
    address = new URL(server).host || server;
  } catch {
    // Not a URL: the server as the kubeconfig writes it.
  }
  const code = codeOf(error);
  const said = code ? NETWORK[code]?.(address) : undefined;
  return said ?? kubeMessage(inner);
}
