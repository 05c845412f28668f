import type { ImportAction, ImportDecision } from '../../../shared/ipc';
import type { Template, TemplateSpec } from '../../../shared/template';
import type { ParsedFile } from './templateFiles';

/** One template of one file, with the stored template of the same name it would replace. */
export interface PlanItem {
  fileIndex: number;
  file: string;
  index: number;
  spec: TemplateSpec;
  existing: Template | undefined;
  action: ImportAction | undefined;
}

export function planImport(parsed: ParsedFile[], stored: Template[], decisions: ImportDecision[]): PlanItem[] {
  const byName = new Map(stored.map((t) => [t.name, t]));
  return parsed.flatMap((f, fileIndex) =>
    f.ok
      ? f.templates.map((spec, index) => ({
          fileIndex,
          file: f.file,
          index,
          spec,
          existing: byName.get(spec.name),
          action: decisions.find((d) => d.file === fileIndex && d.index === index)?.action,
        }))
      : [],
  );
}

const NAME_MAX = 120;

/** "name (2)", "name (3)"…: the first that no template has, as Finder and Explorer name copies. */
export function freeName(name: string, taken: Set<string>): string {
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, NAME_MAX - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Every host directory the items about to be stored would mount, as the preview lists them. */
export function hostMounts(items: PlanItem[]): string[] {
  return items
    .filter((i) => i.action !== 'skip')
    .flatMap((i) => i.spec.mounts.map((m) => `${i.spec.name}: ${m.hostPath} → ${m.containerPath} (${m.readOnly ? 'read-only' : 'read-write'})`));
}
