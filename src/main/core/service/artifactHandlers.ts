import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/ipc';
import { contentType, previewKind, readArtifactHead, resolveArtifact } from '../artifacts/artifactAccess';
import type { ArtifactShell } from '../artifacts/artifactShell';
import type { CoreContext } from './context';
import { mustJob } from './jobHandlers';

type ArtifactHandlers = Pick<Handlers, 'artifacts.read' | 'artifacts.open' | 'artifacts.reveal'>;

/** An artifact of a job's attempt, through the one gate (resolveArtifact). */
async function artifactPath(ctx: CoreContext, id: string, attempt: number, name: string): Promise<string> {
  const job = mustJob(ctx, id);
  if (!job.attempts.some((a) => a.number === attempt)) throw new AppError('NOT_FOUND', `job ${id} has no attempt ${attempt}`);
  return resolveArtifact(ctx.dataDir, id, attempt, name);
}

/** Previews in the page (both shells), and the desktop's own programs where there is a desktop. */
export function artifactHandlers(ctx: CoreContext, shell: ArtifactShell | undefined): ArtifactHandlers {
  const desktop = (): ArtifactShell => {
    if (!shell) throw new AppError('FORBIDDEN', 'opening a file with the system’s program works in the desktop app; here, download it');
    return shell;
  };
  return {
    async 'artifacts.read'({ id, attempt, name, maxBytes }) {
      const file = await artifactPath(ctx, id, attempt, name);
      const kind = previewKind(name);
      if (!kind) throw new AppError('VALIDATION', `"${name}" is not text or an image: download it to open it`);
      const head = await readArtifactHead(file, maxBytes);
      // An image cut short would not show: the whole of it, or nothing.
      if (kind === 'image' && head.truncated) throw new AppError('VALIDATION', `"${name}" is too large to preview (${head.size} bytes): download it`);
      return {
        name,
        type: contentType(name),
        size: head.size,
        truncated: head.truncated,
        encoding: kind === 'image' ? 'base64' : 'utf8',
        data: kind === 'image' ? head.data.toString('base64') : head.data.toString('utf8'),
      };
    },
    async 'artifacts.open'({ id, attempt, name }) {
      const s = desktop();
      await s.open(await artifactPath(ctx, id, attempt, name));
      return { ok: true };
    },
    async 'artifacts.reveal'({ id, attempt, name }) {
      const s = desktop();
      s.reveal(await artifactPath(ctx, id, attempt, name));
      return { ok: true };
    },
  };
}
