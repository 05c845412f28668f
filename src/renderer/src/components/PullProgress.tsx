import { useEffect, useState } from 'react';
import type { ImageProgress } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import { client } from '../client/client';
import { pullText, waitsForImage } from './pullText';

/** The job's image pull while its attempt waits for it ("Pulling image … 40 %"). */
export function PullProgress({ job }: { job: Job }) {
  const [progress, setProgress] = useState<ImageProgress | undefined>(undefined);
  useEffect(() => client.on('image.progress', (p) => p.id === job.id && setProgress(p)), [job.id]);
  if (!progress || !waitsForImage(job)) return null;
  const pct = progress.total && progress.current !== undefined ? Math.min(100, (progress.current / progress.total) * 100) : undefined;
  return (
    <div className="notice" role="status" data-testid="pull-progress">
      {pullText(progress)}
      {pct !== undefined && <progress max={100} value={pct} aria-label={`Pulling ${progress.image}`} />}
    </div>
  );
}
