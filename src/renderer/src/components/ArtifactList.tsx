import { useState } from 'react';
import type { CommandOutput } from '../../../shared/ipc';
import { client } from '../client/client';
import { hostUrl, saveFrom } from '../client/downloads';
import { reportError } from '../store/app';
import { bytes } from './format';

type Artifact = CommandOutput<'artifacts.list'>[number];
type Preview = CommandOutput<'artifacts.read'>;

const TEXT = /\.(txt|log|md|csv|tsv|json|jsonl|xml|ya?ml)$/i;
const IMAGE = /\.(png|jpe?g|gif|webp)$/i;
const previewable = (name: string) => TEXT.test(name) || IMAGE.test(name);
const urlPath = (jobId: string, a: Artifact) => `/artifacts/${encodeURIComponent(jobId)}/${a.attempt}/${a.name.split('/').map(encodeURIComponent).join('/')}`;

/**
 * A job's artifacts: text and images preview in the page; in a browser each downloads over HTTP
 * from the host, in the desktop app it opens with the system's program or shows in its folder.
 */
export function ArtifactList({ jobId, artifacts, label }: { jobId: string; artifacts: Artifact[]; label(attempt: number): string }) {
  const [open, setOpen] = useState<{ key: string; preview?: Preview; error?: string } | undefined>();
  const desktop = hostUrl('/') === undefined;
  const ref = (a: Artifact) => ({ id: jobId, attempt: a.attempt, name: a.name });
  const key = (a: Artifact) => `${a.attempt}/${a.name}`;

  const preview = (a: Artifact) => {
    if (open?.key === key(a)) return setOpen(undefined);
    setOpen({ key: key(a) });
    client.invoke('artifacts.read', ref(a)).then(
      (p) => setOpen((o) => (o?.key === key(a) ? { key: key(a), preview: p } : o)),
      (e: unknown) => setOpen((o) => (o?.key === key(a) ? { key: key(a), error: e instanceof Error ? e.message : String(e) } : o)),
    );
  };
  const download = (a: Artifact) => {
    const url = hostUrl(urlPath(jobId, a));
    if (url) saveFrom(url, a.name.split('/').pop());
  };

  return (
    <ul className="plain" data-testid="artifact-list">
      {artifacts.map((a) => (
        <li key={key(a)} data-testid="artifact" data-name={a.name}>
          <div className="artifact-row">
            <span className="mono name">{a.name}</span>
            <span className="muted small">
              {label(a.attempt)} · {bytes(a.size)}
            </span>
          </div>
          <div className="artifact-row">
            {previewable(a.name) && (
              <button className="small" aria-expanded={open?.key === key(a)} onClick={() => preview(a)} aria-label={`${open?.key === key(a) ? 'Hide' : 'Preview'} ${a.name}`}>
                {open?.key === key(a) ? 'Hide' : 'Preview'}
              </button>
            )}
            {!desktop && (
              <button className="small" onClick={() => download(a)} aria-label={`Download ${a.name}`}>
                Download
              </button>
            )}
            {desktop && (
              <>
                <button className="small" onClick={() => void client.invoke('artifacts.open', ref(a)).catch(reportError)} aria-label={`Open ${a.name}`}>
                  Open
                </button>
                <button className="small" onClick={() => void client.invoke('artifacts.reveal', ref(a)).catch(reportError)} aria-label={`Show in folder ${a.name}`}>
                  Show in folder
                </button>
              </>
            )}
          </div>
          {open?.key === key(a) && <PreviewBody state={open} name={a.name} />}
        </li>
      ))}
    </ul>
  );
}

function PreviewBody({ state, name }: { state: { preview?: Preview; error?: string }; name: string }) {
  if (state.error) return <p className="small log-error">{state.error}</p>;
  const p = state.preview;
  if (!p) return <p className="muted small">Loading…</p>;
  if (p.encoding === 'base64') return <img className="artifact-preview-img" src={`data:${p.type};base64,${p.data}`} alt={`Preview of ${name}`} />;
  return (
    <>
      <pre className="artifact-preview" data-testid="artifact-preview" tabIndex={0} aria-label={`Preview of ${name}`}>
        {p.data}
      </pre>
      {p.truncated && <p className="muted small">The first {bytes(p.data.length)} of {bytes(p.size)}: download it for the rest.</p>}
    </>
  );
}
