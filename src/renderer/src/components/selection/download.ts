/** Save text as a file the browser downloads (both shells: Electron's will-download asks where). */
export function downloadText(filename: string, content: string, type = 'text/plain'): void {
  saveBlob(filename, new Blob([content], { type: `${type};charset=utf-8` }));
}

/** A file the contract carried as base64 (an archive), saved as its bytes. */
export function downloadBase64(filename: string, base64: string, type = 'application/gzip'): void {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  saveBlob(filename, new Blob([bytes], { type }));
}

function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has handed the blob to the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
