import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { TemplateSpecChecked, type Template, type TemplateSpec } from '../../../shared/template';
import { ClientError, client } from '../client/client';
import { fieldKit } from '../components/editor/fieldKit';
import { TemplateFormSections } from '../components/editor/TemplateFormSections';
import { YamlTab } from '../components/editor/YamlTab';
import { Modal } from '../components/Modal';
import { checkYaml, toYaml } from '../components/yaml/yamlIssues';
import { reportError, useApp } from '../store/app';
import { docOf, pathOf, readForm, specFromForm, validate, visibleIssues, type TemplateDoc, type TemplateForm } from './templateForm';
import { TemplateChain } from '../components/TemplateChain';
import { exportKubernetes } from '../components/editor/exportKubernetes';

type Mode = 'form' | 'yaml';

interface Start {
  doc: TemplateDoc;
  form: TemplateForm | undefined;
  /** Why the form cannot show this template as it is: it opens in YAML. */
  problem?: string;
}

function start(template: Template | undefined): Start {
  const doc = docOf(template);
  const read = readForm(doc, !template);
  return 'problem' in read ? { doc, form: undefined, problem: read.problem } : { doc, form: read.form };
}

/**
 * Edit or create a template, as a form or as YAML: one document under both tabs. Each form field
 * shows the shared schema's message once typed in (all of them on Save); the YAML tab checks the
 * same schema as the user types. Keys the form does not show are kept on save.
 */
export function TemplateEditor({ template, onDone }: { template: Template | undefined; onDone(): void }) {
  const uid = useId();
  const engines = useApp((s) => s.engines);
  const [initial] = useState(() => start(template));
  const [doc, setDoc] = useState<TemplateDoc>(initial.doc);
  const [form, setForm] = useState<TemplateForm | undefined>(initial.form);
  const [mode, setMode] = useState<Mode>(initial.form ? 'form' : 'yaml');
  const [yamlText, setYamlText] = useState(() => (initial.form ? '' : toYaml(initial.doc)));
  const [blocked, setBlocked] = useState<string | undefined>(initial.problem && `The form cannot show this template as it is (${initial.problem}); edit it here.`);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});

  const yamlCheck = useMemo(() => (mode === 'yaml' ? checkYaml(yamlText) : undefined), [mode, yamlText]);
  const formResult = form && mode === 'form' ? validate(form, doc) : undefined;
  const issues = formResult ? visibleIssues(formResult.issues, serverIssues, touched, submitted) : {};
  /** The document as it stands now, whichever tab has it. */
  const current: TemplateDoc | undefined = mode === 'form' ? (form ? specFromForm(form, doc) : undefined) : yamlCheck?.syntaxOk ? yamlCheck.doc : undefined;
  const [initialJson] = useState(() => JSON.stringify(initial.form ? specFromForm(initial.form, initial.doc) : initial.doc));
  const dirty = current === undefined || JSON.stringify(current) !== initialJson;

  const set = <K extends keyof TemplateForm>(k: K, v: TemplateForm[K]) => {
    setForm((f) => (f ? { ...f, [k]: v } : f));
    setTouched((t) => new Set([...t, pathOf(k)]));
    setServerIssues({});
  };

  /** A key of the document the form shows outside TemplateForm (the Kubernetes policies). */
  const changeDoc = (key: string, value: unknown) => {
    setDoc((d) => {
      const next = { ...d };
      if (value === undefined) delete next[key];
      else next[key] = value;
      return next;
    });
    setTouched((t) => new Set([...t, key]));
    setServerIssues({});
  };

  const toYamlTab = () => {
    if (mode === 'yaml' || !form) return;
    setYamlText(toYaml(specFromForm(form, doc)));
    setBlocked(undefined);
    setMode('yaml');
  };
  const toFormTab = () => {
    if (mode === 'form' || !yamlCheck) return;
    if (!yamlCheck.syntaxOk || !yamlCheck.doc) {
      const first = yamlCheck.problems[0];
      setBlocked(`Fix the YAML first${first ? ` (line ${first.line}, column ${first.col}: ${first.message})` : ''}: the form can only show a template that reads as YAML. Your text is kept.`);
      return;
    }
    const read = readForm(yamlCheck.doc);
    if ('problem' in read) {
      setBlocked(`The form cannot show this as it is (${read.problem}). Change it here, or keep editing as YAML.`);
      return;
    }
    setDoc(yamlCheck.doc);
    setForm(read.form);
    setBlocked(undefined);
    setMode('form');
  };

  /** The spec to send, or undefined (and the problems shown) when it is not valid yet. */
  const specToSave = (): TemplateSpec | undefined => {
    if (mode === 'form') return formResult?.spec;
    if (!yamlCheck?.syntaxOk || !yamlCheck.doc || yamlCheck.problems.length) return undefined;
    const r = TemplateSpecChecked.safeParse(yamlCheck.doc);
    return r.success ? r.data : undefined;
  };

  /** True once stored: the leave dialog's Save goes on only then. */
  const save = async (): Promise<boolean> => {
    setSubmitted(true);
    setSaveTries((n) => n + 1);
    const spec = specToSave();
    if (!spec || busy) return false;
    setBusy(true);
    try {
      await client.invoke('templates.save', { ...(template ? { id: template.id } : {}), spec });
      useApp.getState().setUnsaved(undefined);
      useApp.getState().toast('success', `Saved ${spec.name}`);
      await useApp.getState().loadTemplates();
      onDone();
      return true;
    } catch (error) {
      if (error instanceof ClientError && error.issues) {
        setServerIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^spec\./, ''), i.message])));
      }
      reportError(error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  // A Save that found problems brings the first one into view: it may sit in a section below.
  const body = useRef<HTMLDivElement>(null);
  const [saveTries, setSaveTries] = useState(0);
  const showFirstProblem = () => body.current?.querySelector('.field-error, [data-testid="yaml-problem"]')?.scrollIntoView({ block: 'center' });
  useEffect(() => {
    if (saveTries) showFirstProblem();
  }, [saveTries]);
  useEffect(() => {
    if (Object.keys(serverIssues).length) showFirstProblem();
  }, [serverIssues]);

  // Changes not saved yet: Escape, Cancel, the backdrop or another view ask first (the leave dialog).
  const what = template ? `the template ${template.name}` : 'the new template';
  useEffect(() => {
    if (!dirty) return;
    useApp.getState().setUnsaved({ what, save: () => saveRef.current() });
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => {
      useApp.getState().setUnsaved(undefined);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [dirty, what]);
  const close = () => useApp.getState().leave(onDone);

  const shownPaths = ['name', 'description', 'image', 'command', 'engine', 'network', 'priority', 'timeoutSeconds', 'retry.', 'limits.', 'outputDir', 'schedule.', 'parallelism', 'completions', 'completionMode', 'entrypoint', 'workingDir', 'user', 'labels', 'pullPolicy', 'tty', 'keepContainer', 'env', 'mounts', 'podFailurePolicy', 'successPolicy', 'backoffLimitPerIndex', 'maxFailedIndexes', 'ttlSecondsAfterFinished', 'notifications'];
  const other = Object.entries(issues).filter(([p]) => !shownPaths.some((s) => p === s || p.startsWith(s) || p.startsWith(`${s}[`)));
  const tab = (m: Mode, label: string, onClick: () => void) => (
    <button type="button" role="tab" id={`${uid}-tab-${m}`} aria-selected={mode === m} aria-controls={`${uid}-panel`} className={`tab ${mode === m ? 'active' : ''}`} onClick={onClick} data-testid={`editor-tab-${m}`}>
      {label}
    </button>
  );

  return (
    <Modal
      title={template ? `Edit ${template.name}` : 'New template'}
      onClose={close}
      onSubmit={() => void save()}
      testId="template-editor"
      wide
      footer={
        <>
          {dirty && <span className="muted small" data-testid="editor-unsaved">unsaved changes</span>}
          <button type="button" onClick={() => exportKubernetes(current)} title="A batch/v1 Job (a CronJob when scheduled) of what the editor shows, for kubectl apply">
            Export for Kubernetes
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => void save()} data-testid="template-save">
            Save template
          </button>
        </>
      }
    >
      <div className="editor-tabs" role="tablist" aria-label="Edit as">
        {tab('form', 'Form', toFormTab)}
        {tab('yaml', 'Edit as YAML', toYamlTab)}
      </div>
      <div role="tabpanel" id={`${uid}-panel`} aria-labelledby={`${uid}-tab-${mode}`} ref={body}>
        {mode === 'form' && form ? (
          <form className="form" onSubmit={(e) => (e.preventDefault(), void save())} noValidate>
            <TemplateFormSections kit={fieldKit({ uid, form, issues, set })} form={form} doc={doc} issues={issues} engines={engines} set={set} changeDoc={changeDoc} />
            {other.map(([p, m]) => (
              <p key={p} className="field-error">
                {p}: {m}
              </p>
            ))}
            {template && <TemplateChain templateId={template.id} />}
          </form>
        ) : (
          <YamlTab text={yamlText} problems={submitted || yamlText ? (yamlCheck?.problems ?? []) : []} serverIssues={serverIssues} blocked={blocked} onChange={(t) => (setYamlText(t), setServerIssues({}), setBlocked(undefined))} />
        )}
      </div>
    </Modal>
  );
}
