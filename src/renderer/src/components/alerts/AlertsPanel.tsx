import { useEffect, useRef, useState } from 'react';
import { describeRule, type AlertKind, type AlertRule } from '../../../../shared/alerts';
import { client } from '../../client/client';
import { reportError, useApp } from '../../store/app';
import { AlertHistoryTable } from './AlertHistoryTable';
import { useAlerts } from './alertsStore';
import { emptyRuleForm, KIND_LABELS, newRuleId, ruleFromForm, type RuleFormValues } from './ruleForm';

/**
 * Settings → Alerts: the rules (each saved at once, apart from the settings form above) and the
 * alerts they raised, active ones first. The banner's "Show alerts" lands here.
 */
export function AlertsPanel() {
  const settings = useApp((s) => s.settings);
  const templates = useApp((s) => s.templates);
  const engines = useApp((s) => s.engines);
  const reveal = useAlerts((s) => s.reveal);
  const heading = useRef<HTMLHeadingElement>(null);
  const [form, setForm] = useState<RuleFormValues>(emptyRuleForm);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const rules = settings?.alerts.rules ?? [];
  const templateName = (id: string) => templates.find((t) => t.template.id === id)?.template.name;

  useEffect(() => {
    void useAlerts.getState().load().catch(reportError);
  }, []);
  useEffect(() => {
    if (!reveal) return;
    useAlerts.setState({ reveal: false });
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, [reveal]);

  const result = ruleFromForm(form, newRuleId(form.kind, rules.map((r) => r.id)));
  const issues = tried && 'issues' in result ? result.issues : {};
  const set = <K extends keyof RuleFormValues>(k: K, v: RuleFormValues[K]) => setForm((f) => ({ ...f, [k]: v }));

  const saveRules = async (next: AlertRule[], done: string): Promise<boolean> => {
    setBusy(true);
    try {
      const saved = await client.invoke('settings.update', { alerts: { rules: next } });
      useApp.setState({ settings: saved });
      useApp.getState().toast('success', done);
      return true;
    } catch (error) {
      reportError(error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async () => {
    setTried(true);
    if (!('rule' in result)) return;
    if (await saveRules([...rules, result.rule], 'Alert rule added')) {
      setForm(emptyRuleForm);
      setTried(false);
    }
  };

  const field = (label: string, k: keyof RuleFormValues, path: string, hint?: string) => (
    <label className={`field ${issues[path] ? 'invalid' : ''}`}>
      <span>{label}</span>
      <input value={form[k]} onChange={(e) => set(k, e.target.value)} inputMode="numeric" name={`alert-${path}`} aria-invalid={Boolean(issues[path])} />
      {hint && !issues[path] && <small className="muted">{hint}</small>}
      {issues[path] && <em className="field-error">{issues[path]}</em>}
    </label>
  );

  return (
    <div className="panel form" data-testid="alerts-panel">
      <h2 className="panel-title" id="alerts" ref={heading} tabIndex={-1}>
        Alerts
      </h2>
      {rules.length === 0 ? (
        <p className="muted small">No alert rules: add one below.</p>
      ) : (
        <ul className="alert-rules" aria-label="Alert rules">
          {rules.map((r) => (
            <li key={r.id} data-testid="alert-rule">
              <span>{describeRule(r, templateName)}</span>
              {r.channels.length > 0 && <small className="muted"> → {r.channels.join(', ')}</small>}
              <button type="button" className="link" disabled={busy} onClick={() => void saveRules(rules.filter((x) => x.id !== r.id), 'Alert rule removed')}>
                Remove<span className="sr-only"> {describeRule(r, templateName)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="alert-rule-form"
        aria-label="Add an alert rule"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <div className="row">
          <label className="field">
            <span>Alert when</span>
            <select value={form.kind} onChange={(e) => set('kind', e.target.value as AlertKind)} name="alert-kind">
              {(Object.keys(KIND_LABELS) as AlertKind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          {form.kind === 'backlog' && (
            <>
              {field('Pending jobs above', 'above', 'above', 'clears at 90% of it or below')}
              {field('For at least (s)', 'forSeconds', 'forSeconds', '0: at once')}
            </>
          )}
          {form.kind === 'failureRate' && (
            <>
              <label className="field">
                <span>Jobs of</span>
                <select value={form.templateId} onChange={(e) => set('templateId', e.target.value)} name="alert-template">
                  <option value="">all templates</option>
                  {templates.map((t) => (
                    <option key={t.template.id} value={t.template.id}>
                      {t.template.name}
                    </option>
                  ))}
                </select>
              </label>
              {field('Failure rate at or above (%)', 'thresholdPercent', 'thresholdPercent')}
              {field('Over the last (min)', 'windowMinutes', 'windowMinutes')}
              {field('With at least (finished jobs)', 'minJobs', 'minJobs', 'one failure alone is not a rate')}
            </>
          )}
          {form.kind === 'engineDown' && (
            <>
              <label className="field">
                <span>Engine</span>
                <select value={form.engineId} onChange={(e) => set('engineId', e.target.value)} name="alert-engine">
                  <option value="">any engine</option>
                  {engines.map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.id}
                    </option>
                  ))}
                </select>
              </label>
              {field('Unavailable for (s)', 'downSeconds', 'forSeconds')}
            </>
          )}
          {form.kind === 'diskFree' && field('Free space below (MiB)', 'belowMiB', 'belowMiB', 'on the data directory\'s disk')}
        </div>
        <div className="row">
          <label className="field">
            <span>Channels</span>
            <input value={form.channels} onChange={(e) => set('channels', e.target.value)} name="alert-channels" placeholder="none: the banner only" />
            <small className="muted">notification channels told when it starts and clears (comma-separated)</small>
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" disabled={busy} data-testid="alert-rule-add">
            Add rule
          </button>
        </div>
      </form>
      <AlertHistoryTable />
    </div>
  );
}
