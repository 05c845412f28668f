import { useEffect, useMemo, useState } from 'react';
import { client } from '../client/client';
import { useApp } from '../store/app';

/**
 * The names History can filter by: today's templates and every name past jobs carry (those of
 * deleted templates too), sorted. Fetched again when the templates change.
 */
export function useTemplateNames(): string[] {
  const templates = useApp((s) => s.templates);
  const [fromJobs, setFromJobs] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    client.invoke('jobs.templateNames', {}).then(
      (names) => live && setFromJobs(names),
      () => undefined, // the list of today's templates still serves
    );
    return () => {
      live = false;
    };
  }, [templates]);
  return useMemo(
    () => [...new Set([...templates.map((t) => t.template.name), ...fromJobs])].sort((a, b) => a.localeCompare(b)),
    [templates, fromJobs],
  );
}
