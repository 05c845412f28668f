import type Docker from 'dockerode';
import { ArtifactCapError, extractArtifacts, type ArtifactFile } from '../artifacts/artifactFiles';
import { engineMessage } from './errors';
import type { AttemptSink } from './types';

/**
 * The exited container's output dir, copied to `dest` before the container goes (and before the
 * job's end is told: its artifacts are there when it ends). Undefined when nothing was copied.
 */
export async function copyOut(container: Docker.Container, outputDir: string, dest: string, sink: AttemptSink): Promise<ArtifactFile[] | undefined> {
  try {
    return await extractArtifacts(await container.getArchive({ path: outputDir }), dest);
  } catch (error) {
    // A job that wrote nothing to its output dir still has a result; say so in the log.
    sink.log('system', `[jobdeck] no artifacts from ${outputDir}: ${engineMessage(error)}\n`, new Date().toISOString());
    return error instanceof ArtifactCapError ? error.files : undefined;
  }
}
