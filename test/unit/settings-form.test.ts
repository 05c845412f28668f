// The Settings view sends only what the user changed (issue 8, item 1): the form's patch builder.
import { describe, expect, it } from 'vitest';
import { Settings } from '../../src/shared/settings';
import { formFromSettings, settingsPatch } from '../../src/renderer/src/views/settingsPatch';

const base = Settings.parse({
  concurrency: 4,
  engines: [{ id: 'build-box', kind: 'docker', host: 'tcp://127.0.0.1:9' }],
  queuePaused: true,
  logCapBytes: 64 * 1024 ** 2 + 5,
  retention: { days: 30, statuses: ['completed', 'failed'] },
});

describe('settings form patch', () => {
  it('is empty for an untouched form (nothing to save, nothing unsaved)', () => {
    expect(settingsPatch(base, formFromSettings(base))).toEqual({});
  });

  it('names only the changed key: engines, the paused queue and the exact log cap are not sent', () => {
    expect(settingsPatch(base, { ...formFromSettings(base), concurrency: '6' })).toEqual({ concurrency: 6 });
  });

  it('sends nested changes as a merge patch, a cleared retention as null', () => {
    const form = { ...formFromSettings(base), days: '', notify: false };
    expect(settingsPatch(base, form)).toEqual({ retention: { days: null }, notifications: { enabled: false } });
    const reordered = { ...formFromSettings(base), statuses: ['failed', 'completed'] as const };
    expect(settingsPatch(base, { ...reordered, statuses: [...reordered.statuses] })).toEqual({});
  });

  it('keeps what the user typed for the schema to judge', () => {
    expect(settingsPatch(base, { ...formFromSettings(base), concurrency: 'abc' }).concurrency).toBeNaN();
    expect(settingsPatch(base, { ...formFromSettings(base), logCapMiB: '2' })).toEqual({ logCapBytes: 2 * 1024 ** 2 });
  });
});
