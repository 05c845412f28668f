// Settings → Notifications: the channels (add, edit, remove, send a test), the default rules,
// and the delivery log. Saved on their own, apart from the settings form above.
import { useState } from 'react';
import { NotifyRules, deliveryText, legacyRules, type NotifyChannel, type NotifyRuleInput } from '../../../../shared/notify';
import type { Settings } from '../../../../shared/settings';
import { client } from '../../client/client';
import { reportError, useApp } from '../../store/app';
import { ChannelForm } from './ChannelForm';
import { DeliveryList } from './DeliveryList';
import { RulesEditor, ruleIssues } from './RulesEditor';
import { useChannels, useDeliveries } from './useNotify';
import './notify.css';

const target = (c: NotifyChannel) => (c.kind === 'webhook' ? c.url : `${c.to.join(', ')} via ${c.host}:${c.port}`);

export function NotificationSettings({ settings }: { settings: Settings }) {
  const { channels, reload } = useChannels();
  const [editing, setEditing] = useState<{ kind: NotifyChannel['kind']; channel?: NotifyChannel }>();
  const [tested, setTested] = useState<Record<string, string>>({});
  const deliveries = useDeliveries({}, 20);
  const stored = settings.notifications.rules ?? legacyRules(settings.notifications.muteSuccess);
  const [rules, setRules] = useState<NotifyRuleInput[]>(stored);
  const parsed = NotifyRules.safeParse(rules);
  const dirty = JSON.stringify(parsed.success ? parsed.data : rules) !== JSON.stringify(stored);

  const test = async (c: NotifyChannel) => {
    setTested((t) => ({ ...t, [c.id]: 'sending…' }));
    try {
      const d = await client.invoke('notify.test', { id: c.id });
      setTested((t) => ({ ...t, [c.id]: deliveryText(d) }));
    } catch (e) {
      setTested((t) => ({ ...t, [c.id]: '' }));
      reportError(e);
    }
  };
  const remove = async (c: NotifyChannel) => {
    try {
      await client.invoke('notify.channels.remove', { id: c.id });
      reload();
    } catch (e) {
      reportError(e);
    }
  };
  const saveRules = async () => {
    if (!parsed.success) return;
    try {
      const saved = await client.invoke('settings.update', { notifications: { rules: parsed.data } });
      useApp.setState({ settings: saved });
      useApp.getState().toast('success', 'Notification rules saved');
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <div className="panel form notify-settings" data-testid="notify-settings">
      <h2 className="panel-title">Notifications</h2>
      <h3 className="panel-subtitle">Channels</h3>
      <table className="table compact" data-testid="channels">
        <caption className="sr-only">Notification channels</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Sends to</th>
            <th scope="col">Test</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Desktop</td>
            <td>desktop</td>
            <td>{settings.notifications.enabled ? 'this computer\u2019s notifications' : 'off (see Desktop above)'}</td>
            <td />
            <td />
          </tr>
          {channels?.map((c) => (
            <tr key={c.id} data-testid="channel-row" data-channel-id={c.id}>
              <td>{c.name}</td>
              <td>{c.kind}</td>
              <td className="notify-target">{target(c)}</td>
              <td data-testid="channel-test-result" aria-live="polite">
                {tested[c.id] ?? ''}
              </td>
              <td className="notify-actions">
                <button type="button" className="small" onClick={() => void test(c)} aria-label={`Send test to ${c.name}`} data-testid="channel-test">
                  Send test
                </button>
                <button type="button" className="small" onClick={() => setEditing({ kind: c.kind, channel: c })} aria-label={`Edit ${c.name}`}>
                  Edit
                </button>
                <button type="button" className="small" onClick={() => void remove(c)} aria-label={`Remove ${c.name}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <ChannelForm
          key={editing.channel?.id ?? editing.kind}
          kind={editing.kind}
          {...(editing.channel ? { channel: editing.channel } : {})}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) reload();
          }}
        />
      ) : (
        <p className="notify-add">
          <button type="button" className="small" onClick={() => setEditing({ kind: 'webhook' })} data-testid="add-webhook">
            Add webhook
          </button>
          <button type="button" className="small" onClick={() => setEditing({ kind: 'mail' })} data-testid="add-mail">
            Add mail
          </button>
        </p>
      )}
      <h3 className="panel-subtitle">Default rules</h3>
      <p className="muted small">For every template without rules of its own.</p>
      <RulesEditor rules={rules} channels={channels ?? []} onChange={setRules} issues={parsed.success ? {} : ruleIssues(parsed.error.issues)} label="Default notification rules" />
      <div className="form-actions">
        <button type="button" disabled={!dirty} onClick={() => setRules(stored)}>
          Discard rule changes
        </button>
        <button type="button" className="primary" disabled={!dirty || !parsed.success} onClick={() => void saveRules()} data-testid="rules-save">
          Save rules
        </button>
      </div>
      <h3 className="panel-subtitle">Delivery log</h3>
      <DeliveryList deliveries={deliveries} caption="Recent notification deliveries" showJob />
    </div>
  );
}
