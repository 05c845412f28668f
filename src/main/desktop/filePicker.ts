// "Choose…" beside the add-engine form's file fields: Electron's open dialog, started where the
// file usually is (the field's own folder, else ~/.docker for certificates, ~/.ssh for ssh).
import { dirname, join } from 'node:path';
import type { EngineFileField } from '../../shared/engine';
import type { FilePicker } from '../core/engines/filePicker';

/** What this needs of Electron's dialog.showOpenDialog (electron is imported only by electronMain.ts). */
export type ShowOpenDialog = (options: {
  title: string;
  defaultPath: string;
  properties: ('openFile' | 'openDirectory' | 'showHiddenFiles')[];
  filters?: { name: string; extensions: string[] }[];
}) => Promise<{ canceled: boolean; filePaths: string[] }>;

const TITLES: Record<EngineFileField, string> = {
  caFile: 'Choose the CA certificate',
  certFile: 'Choose the client certificate',
  keyFile: 'Choose the client key',
  certDir: 'Choose the certificate directory (ca.pem, cert.pem, key.pem)',
  identityFile: 'Choose the ssh private key',
  knownHostsFile: 'Choose the known_hosts file',
};

const PEM = [{ name: 'PEM files', extensions: ['pem', 'crt', 'key'] }, { name: 'All files', extensions: ['*'] }];

export function desktopFilePicker(show: ShowOpenDialog, home: string): FilePicker {
  return {
    async choose(field, current) {
      const ssh = field === 'identityFile' || field === 'knownHostsFile';
      const typed = current?.trim().replace(/^~(?=$|\/)/, home);
      const defaultPath = typed ? (field === 'certDir' ? typed : dirname(typed)) : join(home, ssh ? '.ssh' : '.docker');
      const r = await show({
        title: TITLES[field],
        defaultPath,
        // Keys and certificates live in hidden folders (~/.ssh, ~/.docker).
        properties: [field === 'certDir' ? 'openDirectory' : 'openFile', 'showHiddenFiles'],
        ...(ssh || field === 'certDir' ? {} : { filters: PEM }),
      });
      return r.canceled ? undefined : r.filePaths[0];
    },
  };
}
