import type { EngineInfo } from '../../../../shared/engine';
import { MountEditor } from '../MountList';
import { ScheduleField, type ScheduleValue } from '../ScheduleField';
import type { TemplateDoc, TemplateForm } from '../../views/templateForm';
import { EnvEditor } from './EnvEditor';
import { Section, type FieldKit } from './fieldKit';
import { KubernetesPolicies } from './KubernetesPolicies';
import { TemplateNotifications } from '../notify/TemplateNotifications';
import { defaultContextOptions } from '../engines/defaultBy';

/** Which form field each part of the schedule box is. */
const SCHEDULE_KEYS: Record<keyof ScheduleValue, keyof TemplateForm> = {
  cron: 'cron',
  seconds: 'cronSeconds',
  timeZone: 'timeZone',
  enabled: 'scheduleEnabled',
  allowFrequent: 'allowFrequent',
  concurrencyPolicy: 'concurrencyPolicy',
  missedRunPolicy: 'missedRunPolicy',
};

/** any, a kind, or one engine by id (remote ones too), as engines.list has them; an id is "id:<id>" (ids "docker" and "podman" are also kinds). */
export function engineOptions(engines: EngineInfo[]): { value: string; label: string }[] {
  const byId = engines.map((e) => ({ value: `id:${e.id}`, label: `only ${e.id} (${e.kind}, ${e.host})${e.status === 'available' ? '' : ' – unavailable'}` }));
  return [{ value: 'any', label: 'any engine' }, { value: 'docker', label: 'docker (any Docker engine)' }, { value: 'podman', label: 'podman (any Podman engine)' }, ...defaultContextOptions(engines), ...byId];
}

interface Props {
  kit: FieldKit;
  form: TemplateForm;
  doc: TemplateDoc;
  issues: Record<string, string>;
  engines: EngineInfo[];
  set<K extends keyof TemplateForm>(k: K, v: TemplateForm[K]): void;
  /** Set one key of the document the form has no TemplateForm field for (the Kubernetes policies). */
  changeDoc(key: string, value: unknown): void;
}

const count = (n: number, one: string) => (n ? `${n} ${one}${n === 1 ? '' : 's'}` : '');

/** The template's fields, grouped: Basics open, the rest behind a click with a one-line summary. */
export function TemplateFormSections({ kit, form, doc, issues, engines, set, changeDoc }: Props) {
  const has = (prefix: string) => Object.keys(issues).some((p) => p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`));
  const schedule: ScheduleValue = {
    cron: form.cron,
    seconds: form.cronSeconds,
    timeZone: form.timeZone,
    enabled: form.scheduleEnabled,
    allowFrequent: form.allowFrequent,
    concurrencyPolicy: form.concurrencyPolicy,
    missedRunPolicy: form.missedRunPolicy,
  };
  const limitsSummary = [form.memory && `memory ${form.memory}`, form.cpus && `${form.cpus} CPUs`, form.timeoutSeconds && `timeout ${form.timeoutSeconds} s`, `${form.retryLimit || 0} retries`].filter(Boolean).join(', ');
  return (
    <>
      <div className="basics" data-testid="section-basics">
        <div className="row">
          {kit.text('name', 'Name', 'nightly-backup', undefined, true)}
          {kit.text('image', 'Image', 'busybox:latest')}
        </div>
        {kit.text('description', 'Description')}
        <div className="plain-fieldset">
          <div className="checks" role="radiogroup" aria-label="Command is">
            <label className="check">
              <input type="radio" name="commandMode" checked={form.commandMode === 'script'} onChange={() => set('commandMode', 'script')} />
              shell script (sh -c)
            </label>
            <label className="check">
              <input type="radio" name="commandMode" checked={form.commandMode === 'argv'} onChange={() => set('commandMode', 'argv')} />
              arguments, one per line
            </label>
          </div>
          {form.commandMode === 'script'
            ? kit.area('script', 'Command', 'echo hello\nls /data', 'Runs with sh -c; several lines run in order.')
            : kit.area('argv', 'Command arguments', 'echo\nhello world', 'Each line is one argument, exactly as written (no quoting).')}
        </div>
        <div className="row">
          {kit.select('engine', 'Engine', engineOptions(engines))}
          {kit.select('priority', 'Priority', [
            { value: '1', label: '1 (highest)' },
            { value: '2', label: '2' },
            { value: '3', label: '3 (normal)' },
            { value: '4', label: '4' },
            { value: '5', label: '5 (lowest)' },
          ])}
          {kit.select('network', 'Network', ['none', 'bridge', 'host'])}
        </div>
      </div>
      <Section title="Environment & mounts" summary={[count(form.env.length, 'variable'), count(form.mounts.length, 'mount'), form.outputDir && `artifacts ${form.outputDir}`].filter(Boolean).join(', ')} open={form.env.length > 0 || form.mounts.length > 0 || !!form.outputDir} error={has('env') || has('mounts') || has('outputDir')} testId="section-env">
        <EnvEditor env={form.env} issues={issues} onChange={(env) => set('env', env)} />
        <MountEditor mounts={form.mounts} issues={issues} onChange={(m) => set('mounts', m)} />
        {kit.text('outputDir', 'Artifacts dir', '/out', 'Files the job leaves here are kept as artifacts.')}
      </Section>
      <Section title="Limits & retry" summary={limitsSummary} open={!!(form.memory || form.cpus || form.timeoutSeconds) || form.retryLimit !== '0'} error={has('limits') || has('retry') || has('timeoutSeconds')} testId="section-limits">
        <div className="row">
          {kit.text('memory', 'Memory limit', '256Mi')}
          {kit.text('cpus', 'CPUs', '0.5')}
          {kit.text('timeoutSeconds', 'Timeout (s)', 'none')}
        </div>
        <div className="row">
          {kit.text('retryLimit', 'Retries', '0')}
          {kit.text('backoffInitial', 'First retry delay (s)', '10')}
          {kit.text('backoffFactor', 'Backoff factor', '2')}
          {kit.text('backoffMax', 'Longest retry delay (s)', '360')}
        </div>
        {kit.text('neverRetry', 'Exit codes that never retry', '125, 126, 127', 'Comma-separated; these exits fail the job at once.')}
      </Section>
      <Section title="Parallel" summary={form.parallelism !== '1' || form.completions !== '1' ? `${form.completions} completions, ${form.parallelism} at once, ${form.completionMode}` : ''} open={form.parallelism !== '1' || form.completions !== '1' || form.completionMode !== 'NonIndexed'} error={has('parallelism') || has('completions') || has('completionMode')} testId="section-parallel">
        <div className="row">
          {kit.text('parallelism', 'Parallelism', '1', 'Containers at once.')}
          {kit.text('completions', 'Completions', '1', 'Successful containers needed.')}
          {kit.select('completionMode', 'Completion mode', [
            { value: 'NonIndexed', label: 'NonIndexed (any N succeed)' },
            { value: 'Indexed', label: 'Indexed (each index 0…N-1 once)' },
          ])}
        </div>
      </Section>
      <Section title="Schedule" summary={form.cron ? `${form.cron}${form.scheduleEnabled ? '' : ' (off)'}` : 'none'} open={!!form.cron} error={has('schedule')} testId="section-schedule">
        <ScheduleField
          value={schedule}
          error={issues['schedule.cron'] ?? issues.schedule}
          onChange={(patch) => {
            for (const [k, v] of Object.entries(patch) as [keyof ScheduleValue, never][]) set(SCHEDULE_KEYS[k], v);
          }}
        />
      </Section>
      <Section title="Advanced" open={!!(form.entrypoint || form.workingDir || form.user || form.labels) || form.pullPolicy !== 'IfNotPresent' || form.tty || form.keepContainer} error={['entrypoint', 'workingDir', 'user', 'labels', 'pullPolicy', 'tty', 'keepContainer'].some(has)} testId="section-advanced">
        <div className="row">
          {kit.area('entrypoint', 'Entrypoint', '/bin/sh\n-e', 'One argument per line; empty keeps the image\'s.', 2)}
          {kit.text('workingDir', 'Working directory', '/work')}
          {kit.text('user', 'User', '1000:1000')}
        </div>
        <div className="row">
          {kit.select('pullPolicy', 'Pull policy', ['IfNotPresent', 'Always', 'Never'])}
          {kit.area('labels', 'Labels', 'team=data', 'name=value, one per line; set on the containers.', 2)}
        </div>
        <div className="checks">
          {kit.check('tty', 'tty (a terminal: one raw stream, colours)')}
          {kit.check('keepContainer', 'keep the container after it ends')}
        </div>
      </Section>
      <KubernetesPolicies doc={doc} issues={issues} scheduled={!!form.cron.trim()} change={changeDoc} />
      <TemplateNotifications value={doc.notifications} change={(v) => changeDoc('notifications', v)} />
    </>
  );
}
