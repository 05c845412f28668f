import './alerts.css';
import { useEffect } from 'react';
import { useApp } from '../../store/app';
import { startAlerts, useAlerts } from './alertsStore';

/** The active health alerts, above every view, for as long as they last; its link opens the list. */
export function AlertBanner() {
  const active = useAlerts((s) => s.active);
  useEffect(() => startAlerts(), []);
  if (!active.length) return null;
  const [first] = active;
  const more = active.length - 1;
  return (
    <div className="alert-banner" role="alert" data-testid="alert-banner">
      <b>{first!.title}</b>
      <span>
        {first!.message}
        {more > 0 ? ` · and ${more} more alert${more === 1 ? '' : 's'}` : ''}
      </span>
      <button
        type="button"
        className="link"
        onClick={() => {
          useAlerts.setState({ reveal: true });
          useApp.getState().go('settings');
        }}
      >
        Show alerts
      </button>
    </div>
  );
}
