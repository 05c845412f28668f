import { stringify } from 'yaml';
import type { ImportValue } from '../../src/shared/ipc';
import type { TestCore } from './core';

export type Doc = Record<string, unknown>;

/**
 * Drop `doc` as a file, as the import preview's Save does (templates.import, then
 * templates.importSave); the saved template made to run on the test engines (no bridge network
 * there; retries start at once so each job stays short).
 */
export async function dropManifest(
  t: TestCore,
  doc: Doc,
  opts: { confirmHostMounts?: boolean; values?: Omit<ImportValue, 'file' | 'index'>[] } = {},
): Promise<{ id: string; warnings: string[] }> {
  const files = [{ name: `${String((doc.metadata as Doc).name)}.yaml`, content: stringify(doc) }];
  const [preview] = await t.call('templates.import', { files });
  if (!preview!.ok) throw new Error(JSON.stringify(preview!.errors));
  const [saved] = await t.call('templates.importSave', {
    files,
    confirmHostMounts: opts.confirmHostMounts ?? false,
    values: (opts.values ?? []).map((v) => ({ file: 0, index: 0, ...v })),
  });
  if (saved!.outcome !== 'created') throw new Error(saved!.message);
  const { id, createdAt: _c, updatedAt: _u, ...spec } = await t.call('templates.get', { id: saved!.id! });
  await t.call('templates.save', { id, spec: { ...spec, network: 'none', retry: { ...spec.retry, backoffInitialSeconds: 0 } } });
  return { id, warnings: preview!.warnings };
}
