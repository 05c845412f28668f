import { ENV_NAME, type EnvVar } from '../../../shared/template';

/** `NAME=value` per line; a line `NAME` alone is an error the form shows at the field. */
export function parseEnv(text: string): { env: EnvVar[]; error?: string } {
  const env: EnvVar[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq === -1 ? line : line.slice(0, eq);
    if (eq === -1 || !ENV_NAME.test(name)) return { env, error: `line ${i + 1}: expected NAME=value` };
    env.push({ name, value: line.slice(eq + 1), secret: false });
  }
  return { env };
}

export function envToText(env: EnvVar[]): string {
  return env.map((e) => `${e.name}=${e.value}`).join('\n');
}
