import { BRIDGE_GLOBAL } from '../../../shared/ipc';

/**
 * Where the host's own HTTP downloads are (artifacts, full logs): in a browser, the page's own
 * origin with the token of its address; in Electron there is no HTTP host (undefined), and files
 * come through the contract instead.
 */
export function hostUrl(path: string, params: Record<string, string> = {}): string | undefined {
  if ((window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL]) return undefined;
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const q = new URLSearchParams({ ...params, token });
  return `${location.origin}${path}?${q.toString()}`;
}

/** A download the browser saves under the name the host gives (Content-Disposition). */
export function saveFrom(url: string, name = ''): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
