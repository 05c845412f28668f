// The run dialog's form (renderer/components/runForm.ts): prefilled from the template, and only
// what the user changed becomes an override, checked with the template's own rules.
import { describe, expect, it } from 'vitest';
import { runFormFrom, runOverrides, type RunForm } from '../../src/renderer/src/components/runForm';
import { SECRET_MASK } from '../../src/shared/ipc';
import { JobOverrides } from '../../src/shared/template';
import { spec } from '../support/fakes';

const tpl = spec({
  name: 'rf',
  command: 'echo hi',
  env: [
    { name: 'MODE', value: 'slow' },
    { name: 'TOKEN', value: SECRET_MASK, secret: true },
  ],
  limits: { memory: '64Mi', cpus: '0.5' },
  timeoutSeconds: 60,
  priority: 3,
});
const edit = (f: (form: RunForm) => void, s = tpl) => {
  const form = runFormFrom(s);
  f(form);
  return runOverrides(form, s);
};

describe('run form', () => {
  it('starts from the template: nothing changed, nothing overridden', () => {
    const form = runFormFrom(tpl);
    expect(form).toMatchObject({ command: 'echo hi', memory: '64Mi', cpus: '0.5', timeout: '60', priority: '3', engine: 'any', copies: '1' });
    expect(form.env.map((r) => [r.name, r.value, r.secret])).toEqual([['MODE', 'slow', false], ['TOKEN', SECRET_MASK, true]]);
    expect(runOverrides(form, tpl)).toEqual({ overrides: {}, errors: {}, copies: 1 });
  });

  it('overrides what changed, each a valid JobOverrides field', () => {
    const { overrides, errors, copies } = edit((f) => {
      f.env[0]!.value = 'fast';
      f.env[1]!.value = 'n3w-secret';
      f.env.push({ key: 99, name: 'EXTRA', value: '1', secret: false });
      f.memory = '128Mi';
      f.priority = '1';
      f.engine = 'id:remote-1';
      f.copies = '3';
    });
    expect(errors).toEqual({});
    expect(copies).toBe(3);
    expect(overrides).toEqual({
      env: [
        { name: 'MODE', value: 'fast', secret: false },
        { name: 'TOKEN', value: 'n3w-secret', secret: true },
        { name: 'EXTRA', value: '1', secret: false },
      ],
      limits: { memory: '128Mi' },
      priority: 1,
      engineId: 'remote-1',
    });
    expect(JobOverrides.safeParse(overrides).success).toBe(true);
  });

  it('keeps an argv command a list, quoted in the field and parsed back', () => {
    const argv = spec({ name: 'argv', command: ['sh', '-c', 'echo "a b"'] });
    expect(runFormFrom(argv).command).toBe(`sh -c 'echo "a b"'`);
    expect(runOverrides(runFormFrom(argv), argv).overrides).toEqual({});
    expect(edit((f) => (f.command = `sh -c 'echo "c d"'`), argv).overrides).toEqual({ command: ['sh', '-c', 'echo "c d"'] });
    expect(edit((f) => (f.command = 'echo a | wc'), argv).errors.command).toMatch(/need a shell line/);
  });

  it('says in the template\'s words what is wrong, and what a run cannot remove', () => {
    expect(edit((f) => (f.memory = '1Mi')).errors.memory).toBe("Memory limit 1Mi is below the engines' minimum of 6Mi");
    expect(edit((f) => (f.cpus = 'lots')).errors.cpus).toMatch(/CPUs must be a positive number/);
    expect(edit((f) => (f.timeout = '9999999')).errors.timeout).toBe('Timeout must be a whole number of seconds from 1 to 2592000 (30 days)');
    expect(edit((f) => (f.memory = '')).errors.memory).toBe("a run cannot remove the template's memory limit (64Mi): give a value");
    expect(edit((f) => (f.copies = '0')).errors.copies).toBe('Copies must be a whole number from 1 to 50');
    expect(edit((f) => f.env.push({ key: 1, name: 'MODE', value: 'x', secret: false })).errors.env).toBe('Variable MODE is given twice');
    expect(edit((f) => (f.env[1]!.secret = false)).errors.env).toBe('Variable TOKEN: type its value again to make it plain');
  });
});
