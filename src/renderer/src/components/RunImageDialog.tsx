import { useEffect, useState } from 'react';
import { parse } from 'shell-quote';
import { nameFromImage } from '../../../shared/dockerRun';
import type { Job } from '../../../shared/job';
import { formatBytes } from '../../../shared/quantity';
import type { TemplateSpecInput } from '../../../shared/template';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import { loadImages, type ImageChoice } from './firstSteps';
import { Modal } from './Modal';

/** "echo hi" → [echo, hi] as docker run reads it; a line with pipes or && runs with sh -c. */
export function commandOf(text: string): string | string[] | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const words = parse(t, (name) => `$${name}`);
  return words.every((w): w is string => typeof w === 'string') ? words : t;
}

/** Run an image now, as docker run does: an image, a command, Run; then save it as a template. */
export function RunImageDialog({ onClose }: { onClose(): void }) {
  const [images, setImages] = useState<ImageChoice[] | undefined>();
  const [image, setImage] = useState('');
  const [command, setCommand] = useState('');
  const [network, setNetwork] = useState<'bridge' | 'none' | 'host'>('bridge');
  const [engine, setEngine] = useState<'any' | 'docker' | 'podman'>('any');
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<Job | undefined>();
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<string | undefined>();
  useEffect(() => void loadImages().then(setImages, reportError), []);

  const spec = (): TemplateSpecInput => {
    const cmd = commandOf(command);
    return { name: name.trim() || nameFromImage(image.trim()), image: image.trim(), network, engine, ...(cmd !== undefined ? { command: cmd } : {}) };
  };
  const run = async () => {
    if (!image.trim()) return;
    setBusy(true);
    try {
      const created = await client.invoke('jobs.create', { spec: spec() });
      setJob(created);
      setName(created.templateName);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  const saveTemplate = async () => {
    setBusy(true);
    try {
      const t = await client.invoke('templates.save', { spec: spec() });
      setSaved(t.name);
      useApp.getState().toast('success', `Saved template ${t.name}`);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  const openJob = () => {
    if (!job) return;
    onClose();
    useApp.getState().go('job', job.id);
  };

  return (
    <Modal
      title="Run an image"
      onClose={onClose}
      testId="run-image-dialog"
      wide
      footer={
        job ? (
          <>
            <button onClick={onClose}>Close</button>
            <button onClick={() => void saveTemplate()} disabled={busy || !!saved || !name.trim()} data-testid="run-image-save">
              {saved ? 'Saved' : 'Save as template'}
            </button>
            <button className="primary" onClick={openJob} data-testid="run-image-open">
              Open the job
            </button>
          </>
        ) : (
          <>
            <button onClick={onClose}>Cancel</button>
            <button className="primary" onClick={() => void run()} disabled={busy || !image.trim()} data-testid="run-image-submit">
              Run
            </button>
          </>
        )
      }
    >
      {job ? (
        <div className="form">
          <p role="status" data-testid="run-image-queued">
            Queued <b>{job.templateName}</b> (job #{job.seq}): {job.spec.image}
            {job.spec.command ? <span className="mono"> {Array.isArray(job.spec.command) ? job.spec.command.join(' ') : job.spec.command}</span> : null}
          </p>
          <label className="field">
            <span>Template name (to run it again later)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} disabled={!!saved} />
          </label>
          {saved && <p className="muted">Saved as {saved}: it is in Templates, with this image, command, network and engine.</p>}
        </div>
      ) : (
        <form className="form" onSubmit={(e) => (e.preventDefault(), void run())}>
          <label className="field">
            <span>Image</span>
            <input value={image} onChange={(e) => setImage(e.target.value)} placeholder="busybox:1.36, or pick a local image below" autoFocus data-testid="run-image-image" />
          </label>
          <fieldset className="field image-choices">
            <legend>Images on your engines</legend>
            {images === undefined && <p className="muted">Reading the engines' images…</p>}
            {images?.length === 0 && <p className="muted">No local images: type one to pull it.</p>}
            {images?.map((i) => (
              <label key={i.tag} className="image-choice">
                <input type="radio" name="local-image" checked={image === i.tag} onChange={() => setImage(i.tag)} />
                <span className="mono">{i.tag}</span>
                <span className="muted">
                  {formatBytes(i.size)} · {i.engines.join(', ')}
                </span>
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span>Command</span>
            <input value={command} onChange={(e) => setCommand(e.target.value)} placeholder="the image's own; echo hello, or a shell line with | and &&" data-testid="run-image-command" />
          </label>
          <div className="row">
            <label className="field">
              <span>Network</span>
              <select value={network} onChange={(e) => setNetwork(e.target.value as typeof network)}>
                <option value="bridge">bridge (default)</option>
                <option value="none">none</option>
                <option value="host">host</option>
              </select>
            </label>
            <label className="field">
              <span>Engine</span>
              <select value={engine} onChange={(e) => setEngine(e.target.value as typeof engine)}>
                <option value="any">any</option>
                <option value="docker">docker</option>
                <option value="podman">podman</option>
              </select>
            </label>
          </div>
        </form>
      )}
    </Modal>
  );
}
