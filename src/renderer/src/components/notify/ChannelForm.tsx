// Add or edit one webhook or mail channel; secrets show as the mask and stay unless retyped.
import { useState } from 'react';
import { ChannelInput, type NotifyChannel } from '../../../../shared/notify';
import { client } from '../../client/client';
import { reportError } from '../../store/app';

type Kind = NotifyChannel['kind'];

interface FormValues {
  name: string;
  url: string;
  preset: 'json' | 'slack' | 'ntfy';
  secret: string;
  allowHttp: boolean;
  host: string;
  port: string;
  security: 'tls' | 'starttls' | 'none';
  user: string;
  password: string;
  from: string;
  to: string;
}

function valuesOf(c: NotifyChannel | undefined): FormValues {
  const v: FormValues = { name: '', url: '', preset: 'json', secret: '', allowHttp: false, host: '', port: '587', security: 'starttls', user: '', password: '', from: '', to: '' };
  if (!c) return v;
  if (c.kind === 'webhook') return { ...v, name: c.name, url: c.url, preset: c.preset, secret: c.secret, allowHttp: c.allowHttp };
  return { ...v, name: c.name, host: c.host, port: String(c.port), security: c.security, user: c.user, password: c.password, from: c.from, to: c.to.join(', ') };
}

function inputOf(kind: Kind, v: FormValues, id: string | undefined): unknown {
  const base = { ...(id ? { id } : {}), kind, name: v.name };
  if (kind === 'webhook') return { ...base, url: v.url, preset: v.preset, secret: v.secret, allowHttp: v.allowHttp };
  return { ...base, host: v.host, port: Number(v.port), security: v.security, user: v.user, password: v.password, from: v.from, to: v.to.split(/[,\s]+/).filter(Boolean) };
}

export function ChannelForm({ kind, channel, onDone }: { kind: Kind; channel?: NotifyChannel; onDone(saved: boolean): void }) {
  const [v, setV] = useState(() => valuesOf(channel));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof FormValues>(k: K, value: FormValues[K]) => setV((x) => ({ ...x, [k]: value }));
  const save = async () => {
    const parsed = ChannelInput.safeParse(inputOf(kind, v, channel?.id));
    if (!parsed.success) return setError(parsed.error.issues[0]?.message);
    setBusy(true);
    try {
      await client.invoke('notify.channels.save', parsed.data);
      onDone(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      if (!(e instanceof Error)) reportError(e);
    } finally {
      setBusy(false);
    }
  };
  const text = (label: string, k: keyof FormValues, extra: { type?: string; placeholder?: string } = {}) => (
    <label className="field">
      <span>{label}</span>
      <input type={extra.type ?? 'text'} value={String(v[k])} placeholder={extra.placeholder} onChange={(e) => set(k, e.target.value as never)} data-testid={`channel-${k}`} autoComplete="off" />
    </label>
  );
  return (
    <div className="panel form notify-channel-form" data-testid="channel-form" role="group" aria-label={`${channel ? 'Edit' : 'New'} ${kind} channel`}>
      <h3 className="panel-title">{channel ? `Edit ${channel.name}` : kind === 'webhook' ? 'New webhook' : 'New mail channel'}</h3>
      <div className="row">
        {text('Name', 'name')}
        {kind === 'webhook' ? (
          <>
            {text('URL', 'url', { placeholder: 'https://example.com/hook' })}
            <label className="field">
              <span>Body</span>
              <select value={v.preset} onChange={(e) => set('preset', e.target.value as FormValues['preset'])} data-testid="channel-preset">
                <option value="json">Jobdeck JSON</option>
                <option value="slack">Slack-compatible</option>
                <option value="ntfy">ntfy</option>
              </select>
            </label>
          </>
        ) : (
          <>
            {text('SMTP host', 'host')}
            {text('Port', 'port')}
            <label className="field">
              <span>Security</span>
              <select value={v.security} onChange={(e) => set('security', e.target.value as FormValues['security'])}>
                <option value="starttls">STARTTLS</option>
                <option value="tls">TLS</option>
                <option value="none">none (this machine only)</option>
              </select>
            </label>
          </>
        )}
      </div>
      <div className="row">
        {kind === 'webhook' ? (
          <>
            {text('Signing secret', 'secret', { type: 'password' })}
            <label className="check">
              <input type="checkbox" checked={v.allowHttp} onChange={(e) => set('allowHttp', e.target.checked)} /> Allow plain http
            </label>
          </>
        ) : (
          <>
            {text('User', 'user')}
            {text('Password', 'password', { type: 'password' })}
            {text('From', 'from')}
            {text('To (comma separated)', 'to')}
          </>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="channel-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void save()} data-testid="channel-save">
          Save channel
        </button>
      </div>
    </div>
  );
}
