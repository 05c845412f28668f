// Settings → Alerts → Add rule: the form's values make a rule, or say in the field's words what is wrong.
import { describe, expect, it } from 'vitest';
import { emptyRuleForm, newRuleId, ruleFromForm } from '../../src/renderer/src/components/alerts/ruleForm';

describe('the add-an-alert-rule form', () => {
  it('a backlog of 1 makes the rule, channels split by commas', () => {
    expect(ruleFromForm({ ...emptyRuleForm, above: '1', channels: ' ops-mail, slack ,' }, 'backlog-1')).toEqual({
      rule: { id: 'backlog-1', kind: 'backlog', above: 1, forSeconds: 0, channels: ['ops-mail', 'slack'] },
    });
  });

  it('an empty or wrong count says what it needs', () => {
    const msg = 'Queue backlog must be a whole number of pending jobs from 0 to 1000000';
    expect(ruleFromForm(emptyRuleForm, 'x')).toEqual({ issues: { above: msg } });
    expect(ruleFromForm({ ...emptyRuleForm, above: '2.5' }, 'x')).toEqual({ issues: { above: msg } });
    expect(ruleFromForm({ ...emptyRuleForm, kind: 'failureRate', thresholdPercent: '150' }, 'x')).toEqual({
      issues: { thresholdPercent: 'Failure rate threshold must be a whole number of percent from 1 to 100' },
    });
  });

  it('the other kinds take their defaults and their subject', () => {
    expect(ruleFromForm({ ...emptyRuleForm, kind: 'engineDown', engineId: 'podman' }, 'e')).toEqual({ rule: { id: 'e', kind: 'engineDown', engineId: 'podman', forSeconds: 300, channels: [] } });
    expect(ruleFromForm({ ...emptyRuleForm, kind: 'failureRate', templateId: 't1' }, 'f')).toMatchObject({ rule: { templateId: 't1', thresholdPercent: 50, windowMinutes: 60, minJobs: 5 } });
    expect(ruleFromForm({ ...emptyRuleForm, kind: 'diskFree', belowMiB: '' }, 'd')).toEqual({ issues: { belowMiB: 'Free space must be a whole number of MiB from 1 to 100000000' } });
  });

  it('a new rule id is not one taken', () => {
    expect(newRuleId('backlog', [], 36)).toBe('backlog-10');
    expect(newRuleId('backlog', ['backlog-10'], 36)).toBe('backlog-10-2');
  });
});
