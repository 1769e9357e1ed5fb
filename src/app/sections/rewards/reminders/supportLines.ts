import type { ReminderSupport } from '../../../../browser/reminders/reminders.js';

export type SupportLine = { feature: 'notifications' | 'background' | 'appBadge'; works: boolean; text: string };

/** The support matrix in words: what this browser does with reminders, and what it does not. */
export function supportLines(support: ReminderSupport, permission: NotificationPermission | 'unsupported', periodic: 'registered' | 'not-permitted' | 'unsupported' | 'unknown'): SupportLine[] {
  const notifications: SupportLine = !support.notifications || !support.serviceWorker
    ? { feature: 'notifications', works: false, text: 'System notifications: not in this browser.' }
    : permission === 'granted'
      ? { feature: 'notifications', works: true, text: 'System notifications: on.' }
      : permission === 'denied'
        ? { feature: 'notifications', works: false, text: 'System notifications: blocked for this site (allow them in the browser’s site settings).' }
        : { feature: 'notifications', works: false, text: 'System notifications: possible; Outpost asks when you switch a reminder on.' };
  const background: SupportLine = !support.periodicSync || !support.serviceWorker
    ? { feature: 'background', works: false, text: 'Checks with the app closed: not in this browser; reminders are checked while the app is open.' }
    : periodic === 'registered'
      ? { feature: 'background', works: true, text: 'Checks with the app closed: on (the browser decides how often).' }
      : periodic === 'not-permitted'
        ? { feature: 'background', works: false, text: 'Checks with the app closed: this browser has them but allows them only to an installed app; install Outpost to have them.' }
        : { feature: 'background', works: false, text: 'Checks with the app closed: this browser has them; they start once notifications are allowed.' };
  const appBadge: SupportLine = support.appBadge
    ? { feature: 'appBadge', works: true, text: 'A count on the app icon: yes, when Outpost is installed.' }
    : { feature: 'appBadge', works: false, text: 'A count on the app icon: not in this browser.' };
  return [notifications, background, appBadge];
}
