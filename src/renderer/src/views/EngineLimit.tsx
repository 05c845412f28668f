import { useState } from 'react';
import type { Settings } from '../../../shared/settings';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';

/** The limit the scheduler applies to one engine: Settings' per-engine value, else the engine's own. */
export const engineLimitOf = (s: Settings, id: string): number | undefined => s.engineConcurrency[id] ?? s.engines.find((e) => e.id === id)?.concurrency;

/** "Concurrent jobs" on an engine's card: a number (empty: only the global limit), saved to Settings. */
export function EngineLimit({ id, settings, onSaved }: { id: string; settings: Settings; onSaved(s: Settings): void }) {
  const current = engineLimitOf(settings, id);
  const [value, setValue] = useState(current === undefined ? '' : String(current));
  const [error, setError] = useState<string | undefined>();
  const changed = value.trim() !== (current === undefined ? '' : String(current));

  const save = async () => {
    const text = value.trim();
    const n = Number(text);
    if (text && (!Number.isInteger(n) || n < 1 || n > 64)) {
      setError('A whole number from 1 to 64, or empty for no limit of its own');
      return;
    }
    setError(undefined);
    const { [id]: _old, ...others } = settings.engineConcurrency;
    try {
      const next = await client.invoke('settings.update', { engineConcurrency: text ? { ...others, [id]: n } : others });
      onSaved(next);
      useApp.getState().toast('success', text ? `${id} runs at most ${n} at once` : `${id} has no limit of its own`);
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <form className="inline-form" style={{ display: 'flex', gap: 6, alignItems: 'center' }} onSubmit={(e) => (e.preventDefault(), void save())}>
      <input
        aria-label={`Concurrent jobs on ${id}`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        inputMode="numeric"
        placeholder="no limit"
        style={{ width: 80 }}
        aria-invalid={error ? true : undefined}
      />
      {changed && (
        <button type="submit" className="small">
          Save
        </button>
      )}
      {error && <em className="field-error">{error}</em>}
    </form>
  );
}
