import { BRIDGE_GLOBAL } from '../../../shared/ipc';

/**
 * Browser notifications, for the browser host only: Electron shows its own (native, from main),
 * so the page there never raises a second one.
 */
export function browserNotifications(): boolean {
  return !(BRIDGE_GLOBAL in window) && typeof Notification !== 'undefined';
}

export type Permission = NotificationPermission | 'unsupported';

export function permission(): Permission {
  return browserNotifications() ? Notification.permission : 'unsupported';
}

/** Asks for the permission (call from a click: browsers ignore a request without a user gesture). */
export async function askPermission(): Promise<Permission> {
  if (!browserNotifications()) return 'unsupported';
  return Notification.requestPermission();
}

/** Shows a notice; a click brings the page forward and runs `onClick`. */
export function showNotice(title: string, body: string, tag: string, onClick: () => void): void {
  if (permission() !== 'granted') return;
  const n = new Notification(title, { body, tag });
  n.onclick = () => {
    window.focus();
    onClick();
    n.close();
  };
}
