import { AppError } from '../../../shared/errors';
import type { FilePicker } from '../engines/filePicker';
import type { Handlers } from '../../../shared/ipc';
import { listDockerContexts } from '../engines/dockerContexts';
import type { CoreContext } from './context';

type EngineHandlers = Pick<Handlers, 'engines.test' | 'engines.contexts' | 'engines.pickFile'>;

/** Remote engines before they are saved: a test connection, and the Docker CLI's contexts to import. */
export function engineHandlers(ctx: CoreContext, deps: { env: Record<string, string | undefined>; filePicker?: FilePicker | undefined }): EngineHandlers {
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
    async 'engines.pickFile'({ field, current }) {
      if (!deps.filePicker) throw new AppError('FORBIDDEN', 'choosing a file through a dialog works in the desktop app; here, type the path');
      const path = await deps.filePicker.choose(field, current);
      return path ? { path } : {};
    },
  };
}
