// templates list|show|import|export|rm|from-docker-run.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ImportAction } from '../../shared/importFiles';
import type { Template } from '../../shared/template';
import { issuesText } from '../../shared/errors';
import { UsageError } from '../args';
import { Failure, type Cli } from '../context';
import { badge, formatTime, shortId, table } from '../format';
import { resolveTemplate } from './run';
import type { Client } from '../client';
import { quote } from 'shell-quote';

/** Jobdeck's file format version (the core's JOBDECK_API_VERSION; a test keeps the two equal). */
export const JOBDECK_FILE_VERSION = 'jobdeck/v1';
import type { TemplateSpec } from '../../shared/template';

async function mustTemplate(client: Client, ref: string): Promise<Template> {
  const t = await resolveTemplate(client, ref);
  if (!t) throw new Failure(`no template ${ref} (jobdeck templates list shows them)`);
  return t;
}

export async function listTemplates(cli: Cli): Promise<number> {
  const all = await (await cli.client()).call('templates.list', {});
  const { out } = cli;
  if (out.json) out.printJson(all);
  else if (out.quiet) for (const s of all) out.print(s.template.id);
  else
    out.print(
      table(
        ['NAME', 'IMAGE', 'SCHEDULE', 'LAST JOB', 'UPDATED'],
        all.map((s) => [s.template.name, s.template.image, s.template.schedule?.cron ?? '', s.lastJob ? `${shortId(s.lastJob.id)} ${badge({ status: s.lastJob.status, exitCode: s.lastJob.exitCode })}` : '', formatTime(s.template.updatedAt)]),
      ),
    );
  return 0;
}

export async function showTemplate(cli: Cli, ref: string): Promise<number> {
  const client = await cli.client();
  const t = await mustTemplate(client, ref);
  if (cli.out.json) cli.out.printJson(t);
  else if (cli.out.quiet) cli.out.print(t.id);
  else cli.out.stdout((await client.call('templates.export', { id: t.id, format: 'yaml' })).content);
  return 0;
}

export async function exportTemplate(cli: Cli, ref: string, format: string): Promise<number> {
  if (format !== 'jobdeck' && format !== 'kubernetes') throw new UsageError(`--format: "${format}" must be jobdeck or kubernetes`);
  const client = await cli.client();
  const t = await mustTemplate(client, ref);
  // The manifest comes from the host, as the Templates view's does: one export for every client.
  cli.out.stdout((await client.call('templates.export', { id: t.id, format: format === 'kubernetes' ? 'kubernetes' : cli.out.json ? 'json' : 'yaml' })).content);
  return 0;
}

export async function removeTemplate(cli: Cli, refs: string[]): Promise<number> {
  const client = await cli.client();
  for (const ref of refs) {
    const t = await mustTemplate(client, ref);
    await client.call('templates.delete', { id: t.id });
    if (!cli.out.json) cli.out.print(cli.out.quiet ? t.id : `Removed template ${t.name}`);
  }
  if (cli.out.json) cli.out.printJson({ ok: true });
  return 0;
}

export interface ImportOptions {
  onConflict?: string;
  confirmHostMounts?: boolean;
}

const CONFLICT: Record<string, ImportAction> = { skip: 'skip', replace: 'replace', 'keep-both': 'keepBoth' };

export async function importTemplates(cli: Cli, paths: string[], o: ImportOptions): Promise<number> {
  const onConflict = o.onConflict ?? 'skip';
  const action = CONFLICT[onConflict];
  if (!action) throw new UsageError(`--on-conflict: "${onConflict}" must be skip, replace or keep-both`);
  const files = paths.map((p) => {
    try {
      return { name: basename(p), content: readFileSync(p, 'utf8') };
    } catch (error) {
      throw new Failure(`${p}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
  });
  const client = await cli.client();
  const preview = await client.call('templates.import', { files });
  const decisions = preview.flatMap((r, file) => r.templates.map((t, index) => ({ file, index, action: t.existing ? action : ('create' as const) })));
  const outcomes = await client.call('templates.importSave', { files, decisions, confirmHostMounts: o.confirmHostMounts === true });
  const { out } = cli;
  for (const w of preview.flatMap((r) => r.warnings.map((m) => `${r.file}: ${m}`))) out.note(`warning: ${w}`);
  if (out.json) out.printJson(outcomes);
  else if (out.quiet) {
    for (const r of outcomes) if (r.id) out.print(r.id);
  } else out.print(table(['FILE', 'TEMPLATE', 'OUTCOME', 'MESSAGE'], outcomes.map((r) => [r.file, r.savedAs ?? r.name, r.outcome, r.message ?? ''])));
  return outcomes.some((r) => r.outcome === 'failed') ? 1 : 0;
}

export interface DockerRunOptions {
  secret?: string[];
  save?: boolean;
  confirmHostMounts?: boolean;
}

/** `templates from-docker-run -- docker run …`: the words after `--`, read as the shell gave them. */
export async function fromDockerRun(cli: Cli, words: string[], o: DockerRunOptions): Promise<number> {
  if (!words.length) throw new UsageError('from-docker-run: give the command line after --, such as: jobdeck templates from-docker-run -- docker run --rm alpine echo hi');
  // The shell already split the words; quoted again, the parser reads exactly those words.
  const commandLine = quote(words);
  const client = await cli.client();
  const r = await client.call('templates.fromDockerRun', { commandLine, secretNames: o.secret ?? [], save: o.save === true, confirmHostMounts: o.confirmHostMounts === true });
  const { out } = cli;
  for (const w of r.warnings) out.note(`warning: ${w}`);
  if (r.hostMounts.length && !o.confirmHostMounts) out.note(`mounts host directories: ${r.hostMounts.join(', ')}${o.save ? '' : ' (saving needs --confirm-host-mounts)'}`);
  if (r.errors.length) throw new Failure(issuesText(r.errors));
  if (out.json) out.printJson(r);
  else if (out.quiet) out.print(r.template?.id ?? '');
  else if (r.template) out.print(`Saved template ${r.template.name} (${r.template.id})`);
  // Not saved: the template as a Jobdeck file, ready for `templates import` or `run FILE`.
  else if (r.spec) out.stdout(await specYaml(r.spec));
  return 0;
}

/**
 * A spec as the Jobdeck file format writes it (apiVersion/kind around the fields). The YAML
 * library (and the Kubernetes export) load when a command writes YAML: every other command,
 * `run` first, starts without evaluating them.
 */
async function specYaml(spec: TemplateSpec): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify({ apiVersion: JOBDECK_FILE_VERSION, kind: 'Template', ...spec });
}
