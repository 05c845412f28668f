// Settings → alerts: a patch that does not name it keeps the rules; one that does replaces them.
import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../src/shared/patch';
import { Settings, SettingsPatch } from '../../src/shared/settings';

describe('the alerts key of settings', () => {
  const withRules = Settings.parse({ alerts: { rules: [{ id: 'q', kind: 'backlog', above: 3 }] } });

  it('defaults to no rules, each rule given its defaults', () => {
    expect(Settings.parse({}).alerts).toEqual({ rules: [] });
    expect(withRules.alerts.rules).toEqual([{ id: 'q', kind: 'backlog', above: 3, forSeconds: 0, channels: [] }]);
  });

  it('a patch of another key never brings the default back over stored rules', () => {
    const patch = SettingsPatch.parse({ concurrency: 2 });
    expect(patch).toEqual({ concurrency: 2 });
    expect(Settings.parse(applyPatch(Settings, withRules, patch)).alerts.rules).toHaveLength(1);
    // Nor does a patch of alerts that names nothing inside it.
    expect(Settings.parse(applyPatch(Settings, withRules, SettingsPatch.parse({ alerts: {} }))).alerts.rules).toHaveLength(1);
  });

  it('a patch naming the rules replaces them whole', () => {
    const next = Settings.parse(applyPatch(Settings, withRules, SettingsPatch.parse({ alerts: { rules: [{ id: 'd', kind: 'diskFree', belowMiB: 500 }] } })));
    expect(next.alerts.rules.map((r) => r.id)).toEqual(['d']);
  });
});
