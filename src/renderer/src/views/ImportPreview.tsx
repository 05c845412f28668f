import { useState } from 'react';
import type { ImportAction, ImportedTemplate } from '../../../shared/ipc';
import { client } from '../client/client';
import { MissingValues, valueKey, valuesNeeded } from '../components/MissingValues';
import { Modal } from '../components/Modal';
import { ShowFile } from '../components/yaml/ShowFile';
import '../components/templates.css';
import { reportError, useApp } from '../store/app';
import { choiceKey, mountsToConfirm, outcomeSentence, pendingItems } from './importOutcome';

const CHOICES: { action: ImportAction; label: string }[] = [
  { action: 'replace', label: 'Replace' },
  { action: 'keepBoth', label: 'Keep both' },
  { action: 'skip', label: 'Skip' },
];

/** A template that has a stored namesake: what replacing it changes, and the user's choice. */
function Existing({ t, choice, onChoose, id }: { t: ImportedTemplate; choice: ImportAction | undefined; onChoose(a: ImportAction): void; id: string }) {
  const changes = t.existing!.changes;
  return (
    <div data-testid="import-existing">
      <div className="issue issue-warning">
        Replaces the existing template <b>{t.spec.name}</b>
        {changes.length === 0 ? ' (no changes)' : `: ${changes.length} change${changes.length === 1 ? '' : 's'}`}
      </div>
      {changes.length > 0 && (
        <table className="changes" data-testid="import-changes">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Now</th>
              <th scope="col">From the file</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field} data-testid="import-change">
                <td>{c.field}</td>
                <td className="from">{c.from ?? '(not set)'}</td>
                <td className="to">{c.to ?? '(removed)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="import-choice">
        <fieldset>
          <legend>{t.spec.name}:</legend>
          {CHOICES.map((c) => (
            <label key={c.action} className="check">
              <input type="radio" name={id} checked={choice === c.action} onChange={() => onChoose(c.action)} />
              {c.label}
            </label>
          ))}
        </fieldset>
      </div>
    </div>
  );
}

/**
 * What the dropped files would become: per file its templates, errors and warnings; for each
 * template that has a namesake, Replace / Keep both / Skip; every host mount to confirm. Saving
 * sends the files again, and main stores what it reads from them.
 */
export function ImportPreview() {
  const preview = useApp((s) => s.importPreview);
  const [choices, setChoices] = useState<Record<string, ImportAction>>({});
  const [mountsOk, setMountsOk] = useState(false);
  const [saving, setSaving] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  if (!preview) return null;
  const { files, results } = preview;
  const items = pendingItems(results, choices);
  const undecided = items.filter((i) => i.action === undefined);
  const storing = items.filter((i) => i.action !== undefined && i.action !== 'skip');
  const mounts = mountsToConfirm(items);
  const close = () => useApp.getState().setImportPreview(undefined);
  const ready = !saving && undecided.length === 0 && storing.length > 0 && (mounts.length === 0 || mountsOk);

  const save = async () => {
    setSaving(true);
    try {
      const decisions = items.filter((i) => i.action !== undefined).map((i) => ({ file: i.file, index: i.index, action: i.action! }));
      const given = results.flatMap((r, file) =>
        r.templates.flatMap((t, index) =>
          valuesNeeded(t)
            .map((n) => ({ file, index, name: n.name, value: values[valueKey(file, index, n.name)] ?? '' }))
            .filter((v) => v.value !== ''),
        ),
      );
      const outcomes = await client.invoke('templates.importSave', { files, decisions, confirmHostMounts: mountsOk, values: given });
      await useApp.getState().loadTemplates().catch(reportError);
      const { tone, text } = outcomeSentence(outcomes);
      useApp.getState().toast(tone, text);
      close();
    } catch (error) {
      reportError(error);
    } finally {
      setSaving(false);
    }
  };

  const label = undecided.length
    ? `Choose for ${undecided.length} template${undecided.length === 1 ? '' : 's'}`
    : `Save ${storing.length} template${storing.length === 1 ? '' : 's'}`;

  return (
    <Modal
      title={`Import ${results.length} file${results.length === 1 ? '' : 's'}`}
      onClose={close}
      testId="import-preview"
      wide
      footer={
        <>
          <button onClick={close}>Discard</button>
          <button className="primary" disabled={!ready} onClick={() => void save()} data-testid="import-save">
            {label}
          </button>
        </>
      }
    >
      {results.map((r, file) => (
        <div key={`${r.file}-${file}`} className={`import-file ${r.ok ? 'ok' : 'bad'}`} data-testid="import-file" data-ok={r.ok}>
          <div className="import-name">
            <span className={`dot ${r.ok ? 'dot-ok' : 'dot-bad'}`} />
            <b className="mono">{r.file}</b>
            <span className="muted">{r.ok ? `${r.templates.length} template${r.templates.length === 1 ? '' : 's'}` : 'not imported'}</span>
          </div>
          <ShowFile file={files[file]} />
          {r.templates.map((t, index) => (
            <div key={`${t.spec.name}-${index}`} className="import-template" data-testid="import-template" data-template={t.spec.name}>
              <b>{t.spec.name}</b> <span className="mono muted">{t.spec.image}</span>{' '}
              <span className="muted">
                · {t.spec.engine} · P{t.spec.priority}
                {t.spec.schedule ? ` · ${t.spec.schedule.cron}` : ''}
              </span>
              <MissingValues t={t} file={file} index={index} values={values} onChange={(k, v) => setValues((x) => ({ ...x, [k]: v }))} />
              {t.existing && (
                <Existing
                  t={t}
                  id={`import-choice-${choiceKey(file, index)}`}
                  choice={choices[choiceKey(file, index)]}
                  onChoose={(a) => setChoices((c) => ({ ...c, [choiceKey(file, index)]: a }))}
                />
              )}
            </div>
          ))}
          {r.errors.map((e, j) => (
            <div key={j} className="issue issue-error" data-testid="import-error">
              <span className="mono">{e.path}</span> {e.message}
            </div>
          ))}
          {r.warnings.map((w, j) => (
            <div key={j} className="issue issue-warning">
              {w}
            </div>
          ))}
        </div>
      ))}
      {mounts.length > 0 && (
        <div className="mounts-confirm" data-testid="import-mounts">
          <p>These templates mount directories of this machine into their containers:</p>
          <ul className="mount-list">
            {mounts.map(({ name, mount: m }, i) => (
              <li key={i} data-testid="import-mount">
                <b>{name}</b>: <span className="mono">{m.hostPath}</span> → <span className="mono">{m.containerPath}</span>{' '}
                <b className={m.readOnly ? '' : 'mode-rw'}>({m.readOnly ? 'read-only' : 'read-write'})</b>
              </li>
            ))}
          </ul>
          <label className="check">
            <input type="checkbox" checked={mountsOk} onChange={(e) => setMountsOk(e.target.checked)} data-testid="import-mounts-confirm" />
            Mount these host directories
          </label>
        </div>
      )}
    </Modal>
  );
}
