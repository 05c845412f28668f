import { useEffect, useRef, useState } from 'react';
import { when } from '../components/format';
import { useApp } from '../store/app';
import { askPermission, browserNotifications, permission, type Permission } from './browserNotify';
import './notify.css';
import { useJobEnds, watchJobEnds } from './useJobEnds';

const TONE: Record<string, string> = { completed: 'success', failed: 'error', cancelled: 'neutral' };

/** The bell: recent job ends with an unread count; opening it marks them read, a click opens the job. */
export function Bell() {
  const { items, unread, markRead } = useJobEnds();
  const go = useApp((s) => s.go);
  const [open, setOpen] = useState(false);
  const [perm, setPerm] = useState<Permission>(permission);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(watchJobEnds, []);
  // While open, ends that come in are seen.
  useEffect(() => {
    if (open) markRead();
  }, [open, unread]);
  // Escape or a click elsewhere closes it, as a menu does.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onDown = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open]);

  return (
    <div className="bell">
      <button
        ref={button}
        className="ghost bell-button"
        aria-expanded={open}
        aria-controls="job-ends"
        aria-label={unread ? `Job ends, ${unread} unread` : 'Job ends'}
        onClick={() => setOpen((o) => !o)}
        data-testid="bell"
      >
        {/* Drawn, not an emoji: a system without an emoji font would show a box. */}
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        {unread > 0 && (
          <span className="count" data-testid="bell-unread" aria-hidden="true">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div ref={panel} id="job-ends" className="bell-panel" role="region" aria-label="Recent job ends" data-testid="bell-panel">
          <h2 className="bell-title">Recent job ends</h2>
          {browserNotifications() && perm === 'default' && (
            <p className="bell-ask">
              <button className="small primary" onClick={() => void askPermission().then(setPerm)} data-testid="notify-ask">
                Notify me when jobs end
              </button>
            </p>
          )}
          {perm === 'denied' && <p className="muted small">This browser blocks notifications from Jobdeck; allow them in the site settings to be told.</p>}
          {items.length === 0 ? (
            <p className="muted small">No job has ended since this window opened.</p>
          ) : (
            <ul className="bell-list">
              {items.map((i) => (
                <li key={`${i.jobId}-${i.at}`}>
                  <button
                    className="link bell-item"
                    onClick={() => {
                      setOpen(false);
                      go('job', i.jobId);
                    }}
                    data-testid="bell-item"
                  >
                    <span className={`dot dot-${TONE[i.status] ?? 'neutral'}`} aria-hidden="true" />
                    <span className="bell-text">
                      <b>{i.title}</b>
                      <span className="muted small">
                        {i.body.split('\n')[0]} · {when(i.at)}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
