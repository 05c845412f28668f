import type { Handlers } from '../../../shared/ipc';
import { listDockerContexts } from '../engines/dockerContexts';
import type { CoreContext } from './context';

type EngineHandlers = Pick<Handlers, 'engines.test' | 'engines.contexts'>;

/** Remote engines before they are saved: a test connection, and the Docker CLI's contexts to import. */
export function engineHandlers(ctx: CoreContext, deps: { env: Record<string, string | undefined> }): EngineHandlers {
  return {
    async 'engines.test'(input) {
      return ctx.engines.test({
        id: input.id || 'connection-test',
        kind: input.kind,
        host: input.host,
        source: 'settings',
        ...(input.tls ? { tls: input.tls } : {}),
        ...(input.ssh ? { ssh: input.ssh } : {}),
      });
    },
    async 'engines.contexts'() {
      return listDockerContexts(deps.env);
    },
  };
}
