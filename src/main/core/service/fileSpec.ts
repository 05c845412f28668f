// jobs.create's `file`: a template file run without being stored (`jobdeck run FILE`). Read as an
// import reads it, then checked as an inline spec is; the values are the file's own, secrets
// included (a preview's masked spec sent back would run with the mask as the value).
import { AppError, issuesText, zodIssues } from '../../../shared/errors';
import type { ImportFile } from '../../../shared/importFiles';
import { TemplateSpecChecked, type TemplateSpec } from '../../../shared/template';
import { importTemplateFile } from '../templates/templateFiles';

export function specOfFile(file: ImportFile): TemplateSpec {
  const parsed = importTemplateFile(file);
  if (parsed.errors.length) throw new AppError('VALIDATION', `${file.name}: ${issuesText(parsed.errors)}`, parsed.errors);
  const [only, ...more] = parsed.templates;
  if (!only || more.length) {
    const names = parsed.templates.map((t) => t.name).join(', ');
    throw new AppError('VALIDATION', `${file.name} holds ${parsed.templates.length} templates${names ? ` (${names})` : ''}: import it and run one of them by name`);
  }
  const checked = TemplateSpecChecked.safeParse(only);
  if (!checked.success) {
    const issues = zodIssues(checked.error);
    throw new AppError('VALIDATION', `${file.name}: ${issuesText(issues)}`, issues);
  }
  return checked.data;
}
