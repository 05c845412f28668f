import { useEffect, useState } from 'react';
import type { ExampleTemplate } from '../../../shared/ipc';
import { formatBytes } from '../../../shared/quantity';
import type { TemplateSpec } from '../../../shared/template';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import { loadImages, type ImageChoice } from './firstSteps';
import { Modal } from './Modal';

const EXAMPLE_IMAGE = 'busybox:1.36';

type EngineChoice = '' | 'any' | 'docker' | 'podman';

/**
 * The example with the image and engine the user chose; with no engine chosen, an image only one
 * engine holds runs on that engine.
 */
function withImage(spec: TemplateSpec, image: string, choices: ImageChoice[], chosen: EngineChoice): TemplateSpec {
  const local = choices.find((c) => c.tag === image);
  const only = local && local.engines.length === 1 && (local.engines[0] === 'docker' || local.engines[0] === 'podman') ? local.engines[0] : spec.engine;
  return { ...spec, image, engine: chosen || only };
}

/** The built-in examples: each one line on what it shows, added to the templates on request. */
export function ExamplesDialog({ onClose }: { onClose(): void }) {
  const [examples, setExamples] = useState<ExampleTemplate[] | undefined>();
  const [images, setImages] = useState<ImageChoice[]>([]);
  const [image, setImage] = useState(EXAMPLE_IMAGE);
  const [engine, setEngine] = useState<EngineChoice>('');
  const [added, setAdded] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void Promise.all([client.invoke('templates.examples', {}), loadImages()]).then(([ex, imgs]) => {
      setExamples(ex);
      setImages(imgs);
      // Offline or without busybox here: a local image runs at once, where a pull would fail.
      if (!imgs.some((i) => i.tag === EXAMPLE_IMAGE) && imgs[0]) setImage(imgs[0].tag);
    }, reportError);
  }, []);
  const haveExampleImage = images.some((i) => i.tag === EXAMPLE_IMAGE);

  const add = async (e: ExampleTemplate, run: boolean) => {
    setBusy(true);
    try {
      const t = await client.invoke('templates.save', { spec: withImage(e.spec, image, images, engine) });
      setAdded((a) => ({ ...a, [e.file]: true }));
      useApp.getState().toast('success', `Added template ${t.name}`);
      if (run) {
        const job = await client.invoke('jobs.create', { templateId: t.id });
        onClose();
        useApp.getState().go('job', job.id);
      }
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Examples" onClose={onClose} testId="examples-dialog" wide footer={<button onClick={onClose}>Close</button>}>
      <div className="form">
        <label className="field">
          <span>Image for the examples</span>
          <select value={image} onChange={(e) => setImage(e.target.value)} data-testid="examples-image">
            {!haveExampleImage && <option value={EXAMPLE_IMAGE}>{EXAMPLE_IMAGE} (pulled from Docker Hub on first run)</option>}
            {images.map((i) => (
              <option key={i.tag} value={i.tag}>
                {i.tag} ({formatBytes(i.size)}, on {i.engines.join(', ')})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Engine for the examples</span>
          <select value={engine} onChange={(e) => setEngine(e.target.value as EngineChoice)} data-testid="examples-engine">
            <option value="">as the example says (an engine that has the image)</option>
            <option value="any">any engine</option>
            <option value="docker">docker</option>
            <option value="podman">podman</option>
          </select>
        </label>
        {!haveExampleImage && (
          <p className="muted" data-testid="examples-offline">
            {EXAMPLE_IMAGE} is not on your engines: it is pulled when an example first runs, which needs the network. {images.length ? 'A local image runs at once.' : ''}
          </p>
        )}
        {examples === undefined ? (
          <p className="muted">Reading the examples…</p>
        ) : (
          <ul className="examples">
            {examples.map((e) => (
              <li key={e.file} className="example" data-testid="example">
                <div>
                  <b>{e.spec.name}</b>
                  <p className="muted">{e.explanation}</p>
                </div>
                <div className="example-actions">
                  <button className="small" disabled={busy || added[e.file]} onClick={() => void add(e, false)} aria-label={`Add ${e.spec.name}`}>
                    {added[e.file] ? 'Added' : 'Add'}
                  </button>
                  {!e.spec.schedule && !added[e.file] && (
                    <button className="small primary" disabled={busy} onClick={() => void add(e, true)} aria-label={`Add and run ${e.spec.name}`}>
                      Add and run
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Modal>
  );
}
