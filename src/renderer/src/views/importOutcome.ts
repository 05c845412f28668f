import type { ImportAction, ImportOutcome, ImportResult } from '../../../shared/ipc';
import type { Mount } from '../../../shared/template';

export const choiceKey = (file: number, index: number) => `${file}:${index}`;

/** The templates the preview would store, each with the user's choice (undefined: not chosen yet). */
export function pendingItems(results: ImportResult[], choices: Record<string, ImportAction>) {
  return results.flatMap((r, file) =>
    r.ok
      ? r.templates.map((t, index) => ({
          file,
          index,
          name: t.spec.name,
          mounts: t.spec.mounts,
          existing: t.existing,
          action: choices[choiceKey(file, index)] ?? (t.existing ? undefined : ('create' as const)),
        }))
      : [],
  );
}

/** Every host directory that would be mounted, with the template and its mode. */
export function mountsToConfirm(items: ReturnType<typeof pendingItems>): { name: string; mount: Mount }[] {
  return items.filter((i) => i.action !== undefined && i.action !== 'skip').flatMap((i) => i.mounts.map((mount) => ({ name: i.name, mount })));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One truthful sentence for the toast: what was created, replaced, kept, skipped and what failed. */
export function outcomeSentence(outcomes: ImportOutcome[]): { tone: 'success' | 'error' | 'info'; text: string } {
  const by = (o: ImportOutcome['outcome']) => outcomes.filter((x) => x.outcome === o);
  const parts: string[] = [];
  const created = by('created');
  const replaced = by('replaced');
  const kept = by('keptBoth');
  const skipped = by('skipped');
  const failed = by('failed');
  if (created.length) parts.push(`saved ${plural(created.length, 'new template')}`);
  if (replaced.length) parts.push(`replaced ${replaced.map((o) => o.name).join(', ')}`);
  if (kept.length) parts.push(`kept both: saved ${kept.map((o) => `"${o.savedAs ?? o.name}"`).join(', ')}`);
  if (skipped.length) parts.push(`skipped ${skipped.map((o) => o.name).join(', ')}`);
  if (failed.length) parts.push(`${plural(failed.length, 'failed')}: ${failed.map((o) => `${o.name} (${o.message ?? 'not saved'})`).join('; ')}`);
  const text = parts.length ? parts.join('; ') : 'nothing to import';
  return { tone: failed.length ? 'error' : created.length + replaced.length + kept.length ? 'success' : 'info', text: text[0]!.toUpperCase() + text.slice(1) };
}
