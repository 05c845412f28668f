import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogStore } from '../../src/main/core/logs/logStore';
import { maskableSecrets, maskedLog, maskText, MIN_SECRET_LENGTH, StreamMasker } from '../../src/main/core/logs/mask';
import { SECRET_MASK } from '../../src/shared/ipc';

const M = SECRET_MASK;

/** Feed chunks through one stream masker; what came out, end included, and the raw count. */
function run(secrets: string[], chunks: string[]): { out: string[]; text: string; consumed: number } {
  const m = new StreamMasker(maskableSecrets(secrets));
  const out = chunks.map((c) => m.push(c));
  const last = m.end();
  const all = [...out, last];
  return { out: all.map((o) => o.text), text: all.map((o) => o.text).join(''), consumed: all.reduce((n, o) => n + o.consumed, 0) };
}

describe('secret masking in job output', () => {
  it('masks a value printed whole, every time it appears', () => {
    expect(run(['hunter22'], ['token=hunter22 again hunter22\n']).text).toBe(`token=${M} again ${M}\n`);
  });

  it('masks a value split across two chunks, holding back only the possible start of a secret', () => {
    const r = run(['s3cr3t-value'], ['token=s3cr', '3t-value done\n']);
    expect(r.out[0]).toBe('token='); // "s3cr" might begin the secret: held
    expect(r.out[1]).toBe(`${M} done\n`);
    expect(r.text).not.toContain('s3cr3t');
    expect(r.consumed).toBe('token=s3cr3t-value done\n'.length);
  });

  it('lets text go out at once when it cannot begin a secret', () => {
    const m = new StreamMasker(maskableSecrets(['abcdef']));
    expect(m.push('hello world\n').text).toBe('hello world\n');
    expect(m.push('xyz ab').text).toBe('xyz '); // "ab" held
    expect(m.push('x\n').text).toBe('abx\n'); // it was not the secret
    expect(m.end()).toEqual({ text: '', consumed: 0 });
  });

  it('flushes a held prefix at the end of the stream', () => {
    expect(run(['abcdef'], ['tail abc']).out).toEqual(['tail ', 'abc']);
  });

  it('masks overlapping secrets as one covered range, and a secret inside another', () => {
    expect(maskText('xx abcdXY yy', maskableSecrets(['abcd', 'cdXY']))).toBe(`xx ${M} yy`);
    expect(maskText('pre longsecretvalue post', maskableSecrets(['longsecretvalue', 'secret']))).toBe(`pre ${M} post`);
    expect(run(['abcd', 'cdXY'], ['xx ab', 'cdXY yy']).text).not.toMatch(/abcd|cdXY/);
  });

  it('handles multibyte text: a secret of Cyrillic and emoji split anywhere', () => {
    const secret = 'пароль🔑ключ';
    for (let i = 1; i < secret.length; i++) {
      const r = run([secret], [`до ${secret.slice(0, i)}`, `${secret.slice(i)} после`]);
      expect(r.text).toBe(`до ${M} после`);
    }
  });

  it(`does not mask values shorter than ${MIN_SECRET_LENGTH} characters`, () => {
    expect(maskableSecrets(['a', 'on', 'dev', 'four', 'four'])).toEqual(['four']);
    expect(run(['on'], ['turn on the light\n']).text).toBe('turn on the light\n');
  });

  it('never lets a secret through, however the output is cut (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 12 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (secret, fillers, cuts) => {
          const raw = fillers.join(secret);
          const text = `${raw}${secret}`;
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let at = 0;
          for (const p of points) {
            chunks.push(text.slice(at, p));
            at = p;
          }
          chunks.push(text.slice(at));
          const r = run([secret], chunks);
          expect(r.text.replaceAll(M, '\u0000')).not.toContain(secret);
          expect(r.consumed).toBe(text.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes the mask to the log file and stdout.txt, and counts raw characters for the resume point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobdeck-mask-'));
    const store = new LogStore(dir, { capBytes: () => 1 << 20 });
    const log = maskedLog(store.openWriter('job1', 1), ['s3cr3t-value']);
    const events = [log.append('stdout', 'token=s3cr'), log.append('stdout', '3t-value\n'), log.append('stdout', 'last s3c'), ...(log.end?.() ?? [])];
    await log.close();
    const shown = events.filter((c) => c !== null).map((c) => c!.data).join('');
    expect(shown).toBe(`token=${M}\nlast s3c`);
    const file = readFileSync(store.file('job1', 1), 'utf8');
    expect(file).not.toContain('s3cr3t');
    expect(file).toContain(M);
    expect(readFileSync(join(dir, 'artifacts', 'job1', '1', 'stdout.txt'), 'utf8')).toBe(`token=${M}\nlast s3c`);
    const page = await store.read('job1', 1, 0, 1 << 20);
    expect(page.chunks.map((c) => c.data).join('')).toBe(`token=${M}\nlast s3c`);
    // The engine's log holds the raw text: a reattach must skip exactly what was stored.
    const resume = await store.prepareResume('job1', 1);
    expect(resume.stdout).toBe('token=s3cr3t-value\nlast s3c'.length);
    expect(readFileSync(join(dir, 'artifacts', 'job1', '1', 'stdout.txt'), 'utf8')).toBe(`token=${M}\nlast s3c`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a job without secrets gets the log itself (no masker on the fast path)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobdeck-mask-'));
    const writer = new LogStore(dir, { capBytes: () => 1024 }).openWriter('j', 1);
    expect(maskedLog(writer, [])).toBe(writer);
    expect(maskedLog(writer, ['x'])).toBe(writer); // too short to mask
    void writer.close().then(() => rmSync(dir, { recursive: true, force: true }));
  });
});
