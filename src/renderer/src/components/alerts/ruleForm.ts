// The "add an alert rule" form's values, and the rule (or the field errors) they make. Pure, so the
// messages the user sees are tested without a page.
import { AlertRule, type AlertKind } from '../../../../shared/alerts';
import { formatPath } from '../../../../shared/errors';

export interface RuleFormValues {
  kind: AlertKind;
  above: string;
  forSeconds: string;
  templateId: string;
  thresholdPercent: string;
  windowMinutes: string;
  minJobs: string;
  engineId: string;
  downSeconds: string;
  belowMiB: string;
  channels: string;
}

export const emptyRuleForm: RuleFormValues = {
  kind: 'backlog',
  above: '',
  forSeconds: '0',
  templateId: '',
  thresholdPercent: '50',
  windowMinutes: '60',
  minJobs: '5',
  engineId: '',
  downSeconds: '300',
  belowMiB: '1024',
  channels: '',
};

export const KIND_LABELS: Record<AlertKind, string> = {
  backlog: 'the queue backlog is above a count',
  failureRate: 'the failure rate is high',
  engineDown: 'an engine is unavailable',
  diskFree: 'free disk space is low',
};

/** A number field as typed: empty is left out (the schema's default or its "required" message); anything else is read as a number. */
const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim()));

/** The rule the form describes, or its problems keyed by the rule's field names. */
export function ruleFromForm(v: RuleFormValues, id: string): { rule: AlertRule } | { issues: Record<string, string> } {
  const channels = v.channels
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const base = { id, kind: v.kind, channels };
  const raw =
    v.kind === 'backlog'
      ? { ...base, above: num(v.above) ?? Number.NaN, forSeconds: num(v.forSeconds) }
      : v.kind === 'failureRate'
        ? { ...base, ...(v.templateId ? { templateId: v.templateId } : {}), thresholdPercent: num(v.thresholdPercent), windowMinutes: num(v.windowMinutes), minJobs: num(v.minJobs) }
        : v.kind === 'engineDown'
          ? { ...base, ...(v.engineId ? { engineId: v.engineId } : {}), forSeconds: num(v.downSeconds) }
          : { ...base, belowMiB: num(v.belowMiB) ?? Number.NaN };
  // Left-out numbers take the rule's defaults; a required one left empty is NaN, so its message says what it needs.
  const clean = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
  const parsed = AlertRule.safeParse(clean);
  if (parsed.success) return { rule: parsed.data };
  const issues: Record<string, string> = {};
  for (const i of parsed.error.issues) issues[formatPath(i.path)] ??= i.message;
  return { issues };
}

/** A new rule's id: its kind and a stamp, unique among the rules there are. */
export function newRuleId(kind: AlertKind, taken: readonly string[], now = Date.now()): string {
  let id = `${kind}-${now.toString(36)}`;
  for (let n = 2; taken.includes(id); n++) id = `${kind}-${now.toString(36)}-${n}`;
  return id;
}
