import { AppError } from '../../../shared/errors';
import type { ImportValue } from '../../../shared/ipc';
import type { ParsedFile } from '../templates/templateFiles';

/**
 * The values the user gave in the import preview, put into the variables a manifest took from a
 * secret or config map. A value for a variable that asks for none is refused (a typo would else
 * be dropped without a word).
 */
export function withValues(parsed: ParsedFile[], values: ImportValue[]): ParsedFile[] {
  if (!values.length) return parsed;
  return parsed.map((f, file) => ({
    ...f,
    templates: f.templates.map((spec, index) => {
      const mine = values.filter((v) => v.file === file && v.index === index);
      if (!mine.length) return spec;
      for (const v of mine) {
        if (!spec.env.some((e) => e.name === v.name && e.valueFrom !== undefined)) {
          throw new AppError('VALIDATION', `${spec.name}: ${v.name} is not a variable that needs a value`, [{ path: `values.${v.name}`, message: `${v.name} is not a variable that needs a value` }]);
        }
      }
      return { ...spec, env: spec.env.map((e) => ({ ...e, value: mine.find((v) => v.name === e.name && e.valueFrom !== undefined)?.value ?? e.value })) };
    }),
  }));
}
