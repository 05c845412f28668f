import { YamlEditor } from '../yaml/YamlEditor';
import { checkYaml, type YamlProblem } from '../yaml/yamlIssues';

const problemsOf = (text: string) => checkYaml(text).problems;

/** The template as YAML: checked as it is typed, each problem listed with its line and column. */
export function YamlTab({ text, problems, serverIssues, blocked, onChange }: { text: string; problems: YamlProblem[]; serverIssues: Record<string, string>; blocked: string | undefined; onChange(text: string): void }) {
  const server = Object.entries(serverIssues);
  return (
    <div data-testid="yaml-tab">
      <p className="muted small" id="yaml-help">
        The same template as the form, as YAML (the fields of a jobdeck/v1 Template). Problems are underlined as you type.
      </p>
      <YamlEditor value={text} onChange={onChange} check={problemsOf} label="Template YAML" testId="template-yaml" />
      {blocked && (
        <p className="yaml-blocked" role="alert" data-testid="yaml-blocked">
          {blocked}
        </p>
      )}
      {(problems.length > 0 || server.length > 0) && (
        <ul className="yaml-problems" data-testid="yaml-problems" aria-label="Problems in the YAML">
          {problems.map((p, i) => (
            <li key={`${p.from}-${i}`} data-testid="yaml-problem">
              <span className="where">
                line {p.line}, column {p.col}
                {p.path && p.path !== '(root)' ? ` (${p.path})` : ''}:
              </span>{' '}
              {p.message}
            </li>
          ))}
          {server.map(([path, message]) => (
            <li key={`server-${path}`} data-testid="yaml-problem">
              <span className="where">{path}:</span> {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
