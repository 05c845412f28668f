// Where a clicked notice takes the window; which ends notify is shared/jobEnds.ts (both shells).

/** The renderer's route for one job (src/renderer/src/routes.ts reads `#/jobs/<id>`). */
export function jobRoute(jobId: string): string {
  return `/jobs/${encodeURIComponent(jobId)}`;
}

/**
 * Script that moves an open window to a route: setting location.hash fires `hashchange`, which
 * the renderer follows (src/renderer/src/main.tsx). The route is a JSON string literal, never code.
 */
export function goToRouteScript(route: string): string {
  return `location.hash = ${JSON.stringify(`#${route}`)};`;
}
