// "Choose…" beside the add-engine form's file fields: the desktop's open dialog behind a port
// (src/main/desktop/filePicker.ts, given a fake of Electron's dialog.showOpenDialog), and
// engines.pickFile, which a browser's host answers FORBIDDEN (its paths are typed).
import { expect, it } from 'vitest';
import { desktopFilePicker, type ShowOpenDialog } from '../../src/main/desktop/filePicker';
import type { EngineFileField } from '../../src/shared/engine';
import { describeCommand, startFakeCore } from '../support/fakeCore';

function fakeDialog(answer: { canceled: boolean; filePaths: string[] }) {
  const asked: Parameters<ShowOpenDialog>[0][] = [];
  const show: ShowOpenDialog = (options) => (asked.push(options), Promise.resolve(answer));
  return { show, asked };
}

it('opens where the file usually is: the typed path\'s folder, else ~/.docker or ~/.ssh; hidden files shown; a directory for certDir', async () => {
  const d = fakeDialog({ canceled: false, filePaths: ['/home/me/.docker/ca.pem'] });
  const picker = desktopFilePicker(d.show, '/home/me');
  expect(await picker.choose('caFile', undefined)).toBe('/home/me/.docker/ca.pem');
  await picker.choose('keyFile', '~/certs/box/key.pem');
  await picker.choose('identityFile', '');
  await picker.choose('certDir', '/etc/docker/certs');
  expect(d.asked.map((o) => [o.title, o.defaultPath, o.properties, o.filters?.[0]?.name])).toEqual([
    ['Choose the CA certificate', '/home/me/.docker', ['openFile', 'showHiddenFiles'], 'PEM files'],
    ['Choose the client key', '/home/me/certs/box', ['openFile', 'showHiddenFiles'], 'PEM files'],
    ['Choose the ssh private key', '/home/me/.ssh', ['openFile', 'showHiddenFiles'], undefined],
    ['Choose the certificate directory (ca.pem, cert.pem, key.pem)', '/etc/docker/certs', ['openDirectory', 'showHiddenFiles'], undefined],
  ]);
});

it('a cancelled dialog chooses nothing', async () => {
  expect(await desktopFilePicker(fakeDialog({ canceled: true, filePaths: [] }).show, '/home/me').choose('knownHostsFile', undefined)).toBeUndefined();
});

describeCommand('engines.pickFile', () => {
  it('gives the chosen path in the desktop app, nothing when cancelled, FORBIDDEN without a dialog', async () => {
    const chosen: [EngineFileField, string | undefined][] = [];
    let answer: string | undefined = '/keys/ca.pem';
    const desktop = await startFakeCore({ filePicker: { choose: (field, current) => (chosen.push([field, current]), Promise.resolve(answer)) } });
    try {
      expect(await desktop.call('engines.pickFile', { field: 'caFile', current: '/keys/old.pem' })).toEqual({ path: '/keys/ca.pem' });
      answer = undefined;
      expect(await desktop.call('engines.pickFile', { field: 'certDir' })).toEqual({});
      expect(chosen).toEqual([
        ['caFile', '/keys/old.pem'],
        ['certDir', undefined],
      ]);
      expect(await desktop.fail('engines.pickFile', { field: 'password' })).toMatchObject({ code: 'VALIDATION' });
    } finally {
      await desktop.close();
    }
    const browser = await startFakeCore();
    try {
      expect(await browser.fail('engines.pickFile', { field: 'keyFile' })).toMatchObject({ code: 'FORBIDDEN', message: 'choosing a file through a dialog works in the desktop app; here, type the path' });
    } finally {
      await browser.close();
    }
  });
});
