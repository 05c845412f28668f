// The tray shows the alert state: its icon, tooltip and menu, behind the tray's small policy interface.
import { describe, expect, it } from 'vitest';
import { initialTray, onAlerts, onJobEnded, trayIcon, trayMenu, trayTooltip } from '../../src/main/desktop/tray';

describe('electron shell: tray alert state', () => {
  it('an active alert wins over failures and running, and says what it is; its clear goes back to what was', () => {
    let s = onJobEnded({ ...initialTray, running: 2 }, { status: 'failed' }, false);
    expect(trayIcon(s)).toBe('failed');
    s = onAlerts(s, [{ title: 'Queue backlog above 1' }]);
    expect(trayIcon(s)).toBe('alert');
    expect(trayTooltip(s)).toBe('Jobdeck: 2 running, 1 failed since you looked, alert: Queue backlog above 1');
    expect(trayMenu(s)[0]).toEqual({ label: '⚠ Queue backlog above 1', enabled: false });
    s = onAlerts(s, [{ title: 'Queue backlog above 1' }, { title: 'Engine podman unavailable' }]);
    expect(trayTooltip(s)).toContain('2 alerts: Queue backlog above 1, …');
    expect(trayMenu(s).filter((i) => i.label.startsWith('⚠'))).toHaveLength(2);
    s = onAlerts(s, []);
    expect(trayIcon(s)).toBe('failed');
    expect(trayMenu(s)[0]?.label).toBe('2 jobs running');
  });
});
