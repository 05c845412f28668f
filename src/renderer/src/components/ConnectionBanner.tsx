import { OFFLINE_MESSAGE, WRONG_TOKEN_MESSAGE } from '../client/connection';
import { useApp } from '../store/app';

/** Says, for as long as it lasts, that the host is not there; gone by itself once it is back. */
export function ConnectionBanner() {
  const connection = useApp((s) => s.connection);
  if (connection === 'connected' || connection === 'connecting') return null;
  const wrongToken = connection === 'wrong-token';
  return (
    <div className={`conn-banner ${wrongToken ? 'conn-token' : ''}`} role="alert" data-testid="connection-banner" data-state={connection}>
      <b>{wrongToken ? WRONG_TOKEN_MESSAGE : OFFLINE_MESSAGE}</b>
      <span>
        {wrongToken
          ? 'The host prints its address (with ?token=…) when it starts; this page cannot reach it without that token.'
          : 'Actions are disabled until the host answers again; nothing you typed is lost.'}
      </span>
    </div>
  );
}
