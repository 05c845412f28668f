import { describe, expect, it } from 'vitest';
import { bulkSummary } from '../../src/shared/bulk';
import { csvField, jobsCsv } from '../../src/shared/jobExport';
import type { Job } from '../../src/shared/job';
import { spec } from '../support/fakes';

describe('CSV export', () => {
  it('quotes fields with commas, quotes and line breaks, and doubles quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(-1)).toBe('-1');
  });

  it('never lets a spreadsheet run a field as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@sum')).toBe("'@sum");
  });

  it('writes a header and one CRLF-ended row per job, a multi-line command kept in one field', () => {
    const job: Job = {
      id: 'j1',
      templateName: 'nightly, full',
      spec: spec({ name: 'nightly, full', command: 'echo "a"\necho b' }),
      status: 'failed',
      reason: 'Error',
      exitCode: 2,
      priority: 3,
      seq: 1,
      origin: 'schedule',
      dependsOn: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      failures: 1,
      succeededIndexes: [],
      attempts: [],
    };
    const csv = jobsCsv([job]);
    expect(csv.split('\r\n')).toHaveLength(3);
    expect(csv).toContain('j1,"nightly, full",failed,Error,2,schedule,,0,');
    expect(csv).toContain('"echo ""a""\necho b"');
  });
});

describe('bulk summary', () => {
  it('says what was done and groups what was skipped by why, most first', () => {
    expect(bulkSummary('remove', [{ id: 'a', outcome: 'done' }])).toBe('Deleted 1 job.');
    expect(
      bulkSummary('cancel', [
        { id: 'a', outcome: 'skipped', reason: 'already finished' },
        { id: 'b', outcome: 'skipped', reason: 'no longer there' },
        { id: 'c', outcome: 'skipped', reason: 'no longer there' },
        { id: 'd', outcome: 'failed', reason: 'boom' },
      ]),
    ).toBe('Cancelled 0 jobs; 3 skipped: 2 no longer there, 1 already finished; 1 failed: 1 boom.');
  });
});
