import { useState } from 'react';
import { EngineTestInput, NewEngineConfig, type DockerContext, type EngineFileField, type EngineTestResult, type SshConfig, type TlsConfig } from '../../../shared/engine';
import { FileField } from '../components/engines/FileField';
import { formatPath } from '../../../shared/errors';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';

/** What the form starts from: empty, or a Docker context being imported. */
export interface EngineDraft {
  id: string;
  host: string;
  certDir?: string;
  verify?: boolean;
}

export const draftFromContext = (c: DockerContext): EngineDraft => ({
  id: c.suggestedId,
  host: c.host,
  ...(c.tls?.certDir ? { certDir: c.tls.certDir } : {}),
  ...(c.tls?.verify === false ? { verify: false } : {}),
});

const schemeOf = (host: string) => /^([a-z]+):\/\//.exec(host)?.[1];

/**
 * Add an engine: address, TLS files (tcp) or ssh key and known_hosts (ssh), its own concurrency;
 * "Test connection" connects without saving and shows the version or the failure in words.
 */
export function EngineAddForm({ draft, onDone }: { draft: EngineDraft; onDone(): void }) {
  const [id, setId] = useState(draft.id);
  const [kind, setKind] = useState<'docker' | 'podman'>('docker');
  const [host, setHost] = useState(draft.host);
  const [caFile, setCaFile] = useState('');
  const [certFile, setCertFile] = useState('');
  const [keyFile, setKeyFile] = useState('');
  const [certDir, setCertDir] = useState(draft.certDir ?? '');
  const [verify, setVerify] = useState(draft.verify ?? true);
  const [identityFile, setIdentityFile] = useState('');
  const [knownHostsFile, setKnownHostsFile] = useState('');
  const [agent, setAgent] = useState(true);
  const [concurrency, setConcurrency] = useState('');
  const [touched, setTouched] = useState(false);
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<EngineTestResult | undefined>();

  const scheme = schemeOf(host);
  const isTcp = scheme === 'tcp' || scheme === 'https';
  const isSsh = scheme === 'ssh';
  const tls: TlsConfig = {
    ...(caFile.trim() ? { caFile: caFile.trim() } : {}),
    ...(certFile.trim() ? { certFile: certFile.trim() } : {}),
    ...(keyFile.trim() ? { keyFile: keyFile.trim() } : {}),
    ...(certDir.trim() ? { certDir: certDir.trim() } : {}),
    ...(verify ? {} : { verify: false }),
  };
  const ssh: SshConfig = {
    ...(identityFile.trim() ? { identityFile: identityFile.trim() } : {}),
    ...(knownHostsFile.trim() ? { knownHostsFile: knownHostsFile.trim() } : {}),
    ...(agent ? {} : { agent: false }),
  };
  const fields = {
    id,
    kind,
    host: host.trim(),
    ...(isTcp && Object.keys(tls).length ? { tls } : {}),
    ...(isSsh && Object.keys(ssh).length ? { ssh } : {}),
    ...(concurrency.trim() ? { concurrency: Number(concurrency) } : {}),
  };
  const parsed = NewEngineConfig.safeParse(fields);
  const issues: Record<string, string> = {};
  if (!parsed.success && touched) for (const i of parsed.error.issues) issues[formatPath(i.path)] ??= i.message;

  const test = async () => {
    const input = EngineTestInput.safeParse({ ...fields, id: undefined });
    if (!input.success) {
      setTouched(true);
      return;
    }
    setTesting(true);
    setTested(undefined);
    try {
      setTested(await client.invoke('engines.test', input.data));
    } catch (error) {
      reportError(error);
    } finally {
      setTesting(false);
    }
  };

  const add = async () => {
    setTouched(true);
    if (!parsed.success) return;
    try {
      const info = await client.invoke('engines.add', parsed.data);
      useApp.setState((s) => ({ engines: [...s.engines.filter((e) => e.id !== info.id), info] }));
      onDone();
    } catch (error) {
      reportError(error);
    }
  };

  // Any change makes the last test result stale.
  const edit = (set: (v: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setTested(undefined);
  };
  const file = (label: string, value: string, set: (v: string) => void, path: string, placeholder: string) => (
    <FileField label={label} value={value} onChange={edit(set)} field={path.split('.')[1] as EngineFileField} issue={issues[path]} placeholder={placeholder} />
  );

  return (
    <form className="panel form" aria-label="Add a remote engine" onSubmit={(e) => (e.preventDefault(), void add())}>
      <h3>Add a remote engine</h3>
      <div className="row">
        <label className={`field ${issues.id ? 'invalid' : ''}`}>
          <span>Id</span>
          <input value={id} onChange={(e) => setId(e.target.value)} placeholder="build-box" />
          {issues.id && <em className="field-error">{issues.id}</em>}
        </label>
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value === 'podman' ? 'podman' : 'docker')}>
            <option value="docker">docker</option>
            <option value="podman">podman</option>
          </select>
        </label>
        <label className={`field grow ${issues.host ? 'invalid' : ''}`}>
          <span>Host</span>
          <input value={host} onChange={edit(setHost)} placeholder="tcp://10.0.0.5:2376 or ssh://user@host" spellCheck={false} />
          {issues.host && <em className="field-error">{issues.host}</em>}
        </label>
        <label className={`field ${issues.concurrency ? 'invalid' : ''}`}>
          <span>Concurrent jobs here</span>
          <input value={concurrency} onChange={(e) => setConcurrency(e.target.value)} inputMode="numeric" placeholder="no limit" />
          {issues.concurrency && <em className="field-error">{issues.concurrency}</em>}
        </label>
      </div>
      {isTcp && (
        <fieldset className="row" aria-label="TLS" style={{ border: '1px solid var(--line)', borderRadius: 'var(--radius)', padding: 10, margin: 0 }}>
          {file('CA certificate file', caFile, setCaFile, 'tls.caFile', '/path/to/ca.pem')}
          {file('Client certificate file', certFile, setCertFile, 'tls.certFile', '/path/to/cert.pem')}
          {file('Client key file', keyFile, setKeyFile, 'tls.keyFile', '/path/to/key.pem')}
          {file('Or a certificate directory', certDir, setCertDir, 'tls.certDir', '~/.docker (ca.pem, cert.pem, key.pem)')}
          <label className="check">
            <input type="checkbox" checked={verify} onChange={(e) => (setVerify(e.target.checked), setTested(undefined))} />
            Check the engine&apos;s certificate
          </label>
        </fieldset>
      )}
      {isSsh && (
        <fieldset className="row" aria-label="ssh" style={{ border: '1px solid var(--line)', borderRadius: 'var(--radius)', padding: 10, margin: 0 }}>
          {file('Private key file', identityFile, setIdentityFile, 'ssh.identityFile', '~/.ssh/id_ed25519 (empty: ssh-agent)')}
          {file('known_hosts file', knownHostsFile, setKnownHostsFile, 'ssh.knownHostsFile', '~/.ssh/known_hosts')}
          <label className="check">
            <input type="checkbox" checked={agent} onChange={(e) => (setAgent(e.target.checked), setTested(undefined))} />
            Use ssh-agent (SSH_AUTH_SOCK)
          </label>
        </fieldset>
      )}
      {issues.tls && <div className="issue issue-error">{issues.tls}</div>}
      {issues.ssh && <div className="issue issue-error">{issues.ssh}</div>}
      <div role="status" data-testid="engine-test-result">
        {testing && <span className="muted">Connecting…</span>}
        {tested?.ok === true && (
          <div className="issue ok-text">
            Connected: {tested.kind} {tested.version ?? ''}
            {tested.apiVersion ? ` · API ${tested.apiVersion}` : ''}
          </div>
        )}
        {tested?.ok === false && <div className="issue issue-error">Could not connect: {tested.error}</div>}
      </div>
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="button" onClick={() => void test()} disabled={testing}>
          Test connection
        </button>
        <button type="submit" className="primary">
          Add engine
        </button>
      </div>
    </form>
  );
}
