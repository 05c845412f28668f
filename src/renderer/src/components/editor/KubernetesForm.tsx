import { useState } from 'react';
import type { TemplateDoc } from '../../views/templateForm';
import { numberOrText, textToCodes } from './formText';
import './kubernetesForm.css';

// Form fields for the Kubernetes Job policies a template carries (podFailurePolicy rules as rows,
// successPolicy rules, per-index backoff, TTL, the CronJob's deadline and history limits). They
// edit the template's document itself: what the form has no field for stays as it is.

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.map(rec) : []);
const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export interface KubernetesFormProps {
  uid: string;
  doc: TemplateDoc;
  issues: Record<string, string>;
  /** The form's schedule box has a cron: the CronJob fields apply. */
  scheduled: boolean;
  /** Set one top-level key of the document (undefined removes it). */
  change(key: string, value: unknown): void;
}

/** Whether a pod failure policy rule can be drawn as a row (else it stays in YAML). */
export function ruleFits(r: Rec): boolean {
  const on = rec(r.onExitCodes);
  const conds = list(r.onPodConditions);
  if (r.onExitCodes !== undefined) return Array.isArray(on.values) && Object.keys(on).every((k) => ['containerName', 'operator', 'values'].includes(k));
  return conds.length === 1 && conds[0]!.type === 'DisruptionTarget' && (conds[0]!.status ?? 'True') === 'True';
}

export function KubernetesForm({ uid, doc, issues, scheduled, change }: KubernetesFormProps) {
  const rules = list(rec(doc.podFailurePolicy).rules);
  const successRules = list(rec(doc.successPolicy).rules);
  const schedule = rec(doc.schedule);
  // Exit codes as typed ("42, " mid-typing), per row; read again from the document when rows change.
  const [codeText, setCodeText] = useState<Record<number, string>>({});

  const err = (path: string) =>
    issues[path] ? (
      <em className="field-error" id={`${uid}-${path}-error`} data-testid={`error-${path}`}>
        {issues[path]}
      </em>
    ) : null;
  const aria = (path: string) => ({ 'aria-invalid': !!issues[path], ...(issues[path] ? { 'aria-describedby': `${uid}-${path}-error` } : {}) });
  const number = (key: string, label: string, hint: string, value: unknown, onValue: (v: unknown) => void) => {
    const id = `${uid}-k8s-${key}`;
    return (
      <div className={`field ${issues[key] ? 'invalid' : ''}`}>
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        <input id={id} name={key} value={text(value)} placeholder="not set" inputMode="numeric" onChange={(e) => onValue(e.target.value.trim() ? numberOrText(e.target.value.trim()) : undefined)} {...aria(key)} />
        <span className="muted small">{hint}</span>
        {err(key)}
      </div>
    );
  };
  const scheduleNumber = (key: string, label: string, hint: string) =>
    number(`schedule.${key}`, label, hint, schedule[key], (v) => {
      const next: Rec = { ...schedule };
      if (v === undefined) delete next[key];
      else next[key] = v;
      change('schedule', next);
    });

  const setRules = (next: Rec[]) => {
    setCodeText({});
    change('podFailurePolicy', next.length ? { ...rec(doc.podFailurePolicy), rules: next } : undefined);
  };
  const setRule = (i: number, r: Rec) => change('podFailurePolicy', { ...rec(doc.podFailurePolicy), rules: rules.map((x, j) => (j === i ? r : x)) });
  const setSuccess = (next: Rec[]) => change('successPolicy', next.length ? { rules: next } : undefined);

  return (
    <div className="k8s-form" data-testid="k8s-form">
      <fieldset className="plain-fieldset">
        <legend>Pod failure policy</legend>
        <p className="muted small">Rules in order, the first that matches an attempt&apos;s failure decides: FailJob ends the job, Ignore runs it again without counting, Count counts it against the retries, FailIndex fails that index. A disruption is the engine lost or the app shut down under the job.</p>
        {err('podFailurePolicy')}
        <ol className="plain k8s-rows" aria-label="Pod failure policy rules">
          {rules.map((r, i) => {
            const p = `podFailurePolicy.rules[${i}]`;
            if (!ruleFits(r)) {
              return (
                <li key={i} className="muted small" data-testid="pfp-rule">
                  Rule {i}: edited in the YAML tab (its form has more than a row shows).
                </li>
              );
            }
            const on = rec(r.onExitCodes);
            const byCodes = r.onExitCodes !== undefined;
            const id = (k: string) => `${uid}-pfp-${i}-${k}`;
            return (
              <li key={i} className="k8s-row" data-testid="pfp-rule">
                <span className="k8s-pair">
                  <label htmlFor={id('action')}>Rule {i}: action</label>
                  <select id={id('action')} value={text(r.action)} onChange={(e) => setRule(i, { ...r, action: e.target.value })} {...aria(`${p}.action`)}>
                    {['FailJob', 'Ignore', 'Count', 'FailIndex'].map((a) => (
                      <option key={a}>{a}</option>
                    ))}
                  </select>
                </span>
                <span className="k8s-pair">
                  <label htmlFor={id('on')}>on</label>
                  <select
                    id={id('on')}
                    value={byCodes ? 'exit' : 'disruption'}
                    onChange={(e) => {
                      const { onExitCodes: _e, onPodConditions: _c, ...rest } = r;
                      setRule(i, e.target.value === 'exit' ? { ...rest, onExitCodes: { operator: 'In', values: [1] } } : { ...rest, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] });
                    }}
                  >
                    <option value="exit">exit codes</option>
                    <option value="disruption">a disruption</option>
                  </select>
                </span>
                {byCodes && (
                  <>
                    <span className="k8s-pair">
                      <label htmlFor={id('container')}>container</label>
                      <input
                        id={id('container')}
                        className="k8s-short"
                        value={text(on.containerName)}
                        placeholder="any"
                        onChange={(e) => {
                          const { containerName: _n, ...keep } = on;
                          setRule(i, { ...r, onExitCodes: e.target.value.trim() ? { ...keep, containerName: e.target.value.trim() } : keep });
                        }}
                        {...aria(`${p}.onExitCodes.containerName`)}
                      />
                    </span>
                    <span className="k8s-pair">
                      <label htmlFor={id('operator')}>operator</label>
                      <select id={id('operator')} value={text(on.operator)} onChange={(e) => setRule(i, { ...r, onExitCodes: { ...on, operator: e.target.value } })}>
                        <option value="In">In</option>
                        <option value="NotIn">NotIn</option>
                      </select>
                    </span>
                    <span className="k8s-pair">
                      <label htmlFor={id('values')}>exit codes</label>
                      <input
                        id={id('values')}
                        className="k8s-short"
                        value={codeText[i] ?? (Array.isArray(on.values) ? on.values.join(', ') : '')}
                        placeholder="42, 43"
                        onChange={(e) => {
                          setCodeText({ ...codeText, [i]: e.target.value });
                          setRule(i, { ...r, onExitCodes: { ...on, values: textToCodes(e.target.value) } });
                        }}
                        {...aria(`${p}.onExitCodes.values`)}
                      />
                    </span>
                  </>
                )}
                <button type="button" className="small" onClick={() => setRules(rules.filter((_, j) => j !== i))} aria-label={`Remove rule ${i}`}>
                  Remove
                </button>
                {err(`${p}.action`)}
                {err(`${p}.onExitCodes.values`)}
                {err(`${p}.onExitCodes.containerName`)}
                {err(`${p}.onExitCodes`)}
                {err(p)}
              </li>
            );
          })}
        </ol>
        <button type="button" className="small" onClick={() => setRules([...rules, { action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }])} data-testid="pfp-add">
          Add rule
        </button>
      </fieldset>

      <fieldset className="plain-fieldset">
        <legend>Success policy (Indexed)</legend>
        <p className="muted small">The job succeeds once a rule is met: all the indexes it names (such as 0,2-3), or that many of them (or of all indexes); the rest are stopped.</p>
        {err('successPolicy')}
        <ol className="plain k8s-rows" aria-label="Success policy rules">
          {successRules.map((r, i) => {
            const p = `successPolicy.rules[${i}]`;
            const id = (k: string) => `${uid}-sp-${i}-${k}`;
            const set = (k: string, v: string, asNumber: boolean) => {
              const next: Rec = { ...r };
              if (!v.trim()) delete next[k];
              else next[k] = asNumber ? numberOrText(v.trim()) : v.trim();
              setSuccess(successRules.map((x, j) => (j === i ? next : x)));
            };
            return (
              <li key={i} className="k8s-row" data-testid="sp-rule">
                <span className="k8s-pair">
                  <label htmlFor={id('indexes')}>Rule {i}: succeeded indexes</label>
                  <input id={id('indexes')} className="k8s-short" value={text(r.succeededIndexes)} placeholder="0,2-3" onChange={(e) => set('succeededIndexes', e.target.value, false)} {...aria(`${p}.succeededIndexes`)} />
                </span>
                <span className="k8s-pair">
                  <label htmlFor={id('count')}>succeeded count</label>
                  <input id={id('count')} className="k8s-short" value={text(r.succeededCount)} placeholder="all" onChange={(e) => set('succeededCount', e.target.value, true)} {...aria(`${p}.succeededCount`)} />
                </span>
                <button type="button" className="small" onClick={() => setSuccess(successRules.filter((_, j) => j !== i))} aria-label={`Remove success rule ${i}`}>
                  Remove
                </button>
                {err(`${p}.succeededIndexes`)}
                {err(`${p}.succeededCount`)}
                {err(p)}
              </li>
            );
          })}
        </ol>
        <button type="button" className="small" onClick={() => setSuccess([...successRules, { succeededCount: 1 }])} data-testid="sp-add">
          Add success rule
        </button>
      </fieldset>

      <div className="row">
        {number('backoffLimitPerIndex', 'Backoff limit per index', 'Indexed: retries each index has of its own.', doc.backoffLimitPerIndex, (v) => change('backoffLimitPerIndex', v))}
        {number('maxFailedIndexes', 'Max failed indexes', 'More failed indexes than this fail the job at once.', doc.maxFailedIndexes, (v) => change('maxFailedIndexes', v))}
        {number('ttlSecondsAfterFinished', 'TTL after finished (s)', 'The job and its logs are removed this long after it ends (unless pinned).', doc.ttlSecondsAfterFinished, (v) => change('ttlSecondsAfterFinished', v))}
      </div>
      {scheduled && (
        <div className="row" data-testid="k8s-cron-fields">
          {scheduleNumber('startingDeadlineSeconds', 'Starting deadline (s)', 'A run later than this after its time is skipped and recorded as missed.')}
          {scheduleNumber('successfulJobsHistoryLimit', 'Successful runs kept', 'Older successful scheduled runs are removed.')}
          {scheduleNumber('failedJobsHistoryLimit', 'Failed runs kept', 'Older failed scheduled runs are removed.')}
        </div>
      )}
    </div>
  );
}
