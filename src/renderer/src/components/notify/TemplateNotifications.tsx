// The template editor's Notifications group: this template's own rules, in place of the defaults.
import { TemplateNotifications as Schema, type NotifyRuleInput } from '../../../../shared/notify';
import { Section } from '../editor/fieldKit';
import { RulesEditor, ruleIssues } from './RulesEditor';
import { useChannels } from './useNotify';

export function TemplateNotifications({ value, change }: { value: unknown; change(value: unknown): void }) {
  const { channels } = useChannels();
  const own = value !== undefined;
  const rules = ((value as { rules?: NotifyRuleInput[] } | undefined)?.rules ?? []) as NotifyRuleInput[];
  const parsed = own ? Schema.safeParse(value) : undefined;
  const issues = parsed && !parsed.success ? ruleIssues(parsed.error.issues.map((i) => ({ ...i, path: i.path.slice(1) }))) : {};
  return (
    <Section title="Notifications" summary={own ? `${rules.length} rule${rules.length === 1 ? '' : 's'} of its own` : 'the default rules'} open={own} error={Object.keys(issues).length > 0} testId="section-notifications">
      <label className="check">
        <input type="checkbox" checked={own} onChange={(e) => change(e.target.checked ? { rules: [{ id: 'rule-1', on: 'failure', attempts: 'last', channels: ['desktop'] }] } : undefined)} data-testid="own-rules" /> Use rules of its
        own instead of the default ones (Settings → Notifications)
      </label>
      {own && <RulesEditor rules={rules} channels={channels ?? []} onChange={(r) => change({ rules: r })} issues={issues} label="This template's notification rules" />}
    </Section>
  );
}
