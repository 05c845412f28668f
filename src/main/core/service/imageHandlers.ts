// The first-run commands: the engines' local images, the built-in examples, and a pasted
// `docker run` line read as a template.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { mergeEnv, parseDockerRun, parseEnvFile } from '../../../shared/dockerRun';
import { AppError, type Issue } from '../../../shared/errors';
import type { DockerRunResult, Handlers, LocalImage } from '../../../shared/ipc';
import { TemplateSpec, TemplateSpecChecked, type EnvVar } from '../../../shared/template';
import { ENGINE_ANSWER_MS, withinDeadline } from '../deadline';
import { localImages } from '../engines/images';
import { maskSpec } from '../secrets';
import { readExamples } from '../templates/examples';
import { freeName } from '../templates/importPlan';
import type { CoreContext } from './context';

type ImageHandlers = Pick<Handlers, 'images.list' | 'templates.examples' | 'templates.fromDockerRun'>;

/** What these handlers reach besides the context: the one way a template is stored. */
export interface ImageHandlerDeps {
  saveTemplate: Handlers['templates.save'];
  /** Where the examples are (default resources/examples found from the core). */
  examplesDir?: string;
}

/** The variables of the --env-file files, read relative to the home directory when not absolute. */
function readEnvFiles(files: string[], warnings: string[], errors: Issue[]): EnvVar[] {
  const env: EnvVar[] = [];
  for (const f of files) {
    const path = isAbsolute(f) ? f : resolve(homedir(), f);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      errors.push({ path: 'commandLine', message: `--env-file ${f}: ${why} (read as ${path}); give its absolute path` });
      continue;
    }
    const read = parseEnvFile(content, f);
    warnings.push(...read.warnings);
    env.push(...read.env);
  }
  return env;
}

export function imageHandlers(ctx: CoreContext, deps: ImageHandlerDeps): ImageHandlers {
  return {
    async 'images.list'() {
      const lists = await Promise.all(
        ctx.engines.all().map(async (e): Promise<LocalImage[]> => {
          if (e.info.status !== 'available' || !e.docker.listImages) return [];
          try {
            return localImages(e.info.id, await withinDeadline(e.docker.listImages(), ENGINE_ANSWER_MS, ctx.clock));
          } catch {
            // An engine that fails or stops answering now shows as such in Engines; the others still list.
            return [];
          }
        }),
      );
      return lists.flat();
    },
    async 'templates.examples'() {
      return readExamples(deps.examplesDir);
    },
    async 'templates.fromDockerRun'({ commandLine, secretNames, save, confirmHostMounts, engine }) {
      const parsed = parseDockerRun(commandLine);
      const warnings = [...parsed.warnings];
      const errors: Issue[] = parsed.errors.map((message) => ({ path: 'commandLine', message }));
      if (!parsed.spec) return { warnings, errors, hostMounts: [] };
      const secret = new Set(secretNames);
      const env = mergeEnv(readEnvFiles(parsed.envFiles, warnings, errors), (parsed.spec.env ?? []).map((e) => ({ ...e, secret: false }))).map((e) => ({ ...e, secret: secret.has(e.name) }));
      let name = parsed.spec.name;
      const taken = new Set(ctx.store.listTemplates().map((t) => t.name));
      if (taken.has(name)) {
        name = freeName(name, taken);
        warnings.push(`a template named "${parsed.spec.name}" already exists: this one is named "${name}"`);
      }
      const input = { ...parsed.spec, name, env, ...(engine ? { engine } : {}) };
      const checked = TemplateSpecChecked.safeParse(input);
      if (!checked.success) errors.push(...checked.error.issues.map((i) => ({ path: i.path.join('.') || 'commandLine', message: i.message })));
      const spec = checked.success ? checked.data : TemplateSpec.safeParse(input).data;
      const hostMounts = (spec?.mounts ?? []).map((m) => `${m.hostPath} → ${m.containerPath} (${m.readOnly ? 'read-only' : 'read-write'})`);
      const result: DockerRunResult = { ...(spec ? { spec: maskSpec(spec) } : {}), warnings, errors, hostMounts };
      if (!save) return result;
      if (errors.length || !checked.success) throw new AppError('VALIDATION', errors.map((e) => e.message).join('; '), errors);
      if (hostMounts.length && !confirmHostMounts) {
        const message = `this template mounts host directories; confirm them to save: ${hostMounts.join('; ')}`;
        throw new AppError('VALIDATION', message, [{ path: 'confirmHostMounts', message }]);
      }
      return { ...result, template: await deps.saveTemplate({ spec: checked.data }, { clientId: 'core' }) };
    },
  };
}
