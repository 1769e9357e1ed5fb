import { createContext } from 'svelte';
import type { Address } from 'viem';
import type { Reminder, ReminderKind, ReminderSettings } from '../../core/reminders/reminders.js';
import type { ReminderSupport } from '../../browser/reminders/reminders.js';
import { inLine } from '../../core/inLine.js';
import { networkState } from './network.svelte.js';
import type { WalletSession } from './walletSession.svelte.js';

/** Checks while the app is open: on open, then every 5 minutes (docs/reminders.md). */
const CHECK_EVERY_MS = 5 * 60 * 1000;

/** The message for each answer to the notification question. */
const PERMISSION_WORDS = {
  granted: 'Notifications are on: Outpost tells you when a reminder is due, also with the app closed where this browser allows it.',
  denied: 'Notifications are blocked for this site; badges in the app still work. To get system notifications, allow them in the browser’s site settings.',
  default: 'You closed the question without answering: badges in the app still work. Switch a reminder off and on again to be asked again.',
  unsupported: 'This browser has no system notifications: badges in the app still work.',
} as const;

type PeriodicState = 'registered' | 'not-permitted' | 'unsupported' | 'unknown';

/**
 * Reminders (issue 17): the settings form for the active account on the network on screen, the
 * question for notification permission (asked when a reminder is switched on, never on open), what
 * this browser supports, and what is due now for the tab bar's badges. The facts are gathered here
 * (My devices, the staking reads) and saved for the service worker; the reminder code loads after
 * the first screen.
 */
export class RemindersState {
  /** Null until read for the account on screen. */
  settings = $state<ReminderSettings | null>(null);
  thresholdInput = $state('1');
  hoursInput = $state('24');
  #checks = 0;
  readonly #refreshes = inLine(() => this.#refreshOnce());
  /** The settings changes in line, each applied after the one before has saved. */
  #saving: Promise<void> = Promise.resolve();
  /** The threshold or hours as typed could not be read: ErrorNotice shows it. */
  inputError = $state<unknown>(null);
  /** Saving or reading failed (storage), or the saved settings were damaged. */
  error = $state<unknown>(null);
  permission = $state<NotificationPermission | 'unsupported'>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  /** What the last answer to the permission question means, in words; null until asked. */
  permissionMessage = $state<string | null>(null);
  support = $state<ReminderSupport | null>(null);
  periodic = $state<PeriodicState>('unknown');
  due = $state<Reminder[]>([]);
  /** When the last check finished (ms), for "last checked"; null before the first. */
  checkedAt = $state<number | null>(null);
  checking = $state(false);

  readonly #session: WalletSession;
  #browser: Promise<typeof import('../../browser/reminders/reminders.js')> | null = null;
  #core: Promise<typeof import('../../core/reminders/reminders.js')> | null = null;

  constructor(session: WalletSession) {
    this.#session = session;
  }

  /** Badge counts per tab: Rewards (claimable), Staking (withdrawable), Devices (silent). */
  readonly counts = $derived.by(() => {
    const count = (kind: ReminderKind) => this.due.filter((reminder) => reminder.kind === kind).length;
    return { rewards: count('claimable'), staking: count('withdrawable'), devices: count('silentDevice') } as Record<string, number>;
  });


  get account(): Address | null {
    return this.#session.active?.address ?? null;
  }

  #loadBrowser() {
    this.#browser ??= import('../../browser/reminders/reminders.js');
    return this.#browser;
  }

  #loadCore() {
    this.#core ??= import('../../core/reminders/reminders.js');
    return this.#core;
  }

  /** Starts checking (on open and every 5 minutes) and follows account changes; returns the stop. */
  start(): () => void {
    let stopped = false;
    let unsubscribe: () => void = () => undefined;
    void this.#loadBrowser().then((browser) => {
      if (stopped) return;
      this.support = browser.reminderSupport();
      // Another tab, the service worker or the Rewards screen saved new facts: check again (no gathering).
      unsubscribe = browser.onRemindersChanged(() => void this.check());
    });
    void this.refresh();
    const timer = setInterval(() => void this.refresh(), CHECK_EVERY_MS);
    const offActive = this.#session.onActiveChange(() => void this.refresh());
    return () => {
      stopped = true;
      clearInterval(timer);
      offActive();
      unsubscribe();
    };
  }

  /**
   * Gathers fresh facts for the active account (if any), then checks. Refreshes run one after
   * another, and requests made while one waits join it: a gathering that started earlier (a slow
   * chain read) must never save its older picture of My devices over a later one's.
   */
  refresh(): Promise<void> {
    this.checking = true;
    return this.#refreshes.run().finally(() => (this.checking = this.#refreshes.busy));
  }

  async #refreshOnce(): Promise<void> {
    await this.load();
    await this.gather().catch((error: unknown) => (this.error = error));
    await this.check();
  }

  /** Reads the settings of the active account on the network on screen into the form. */
  async load(): Promise<void> {
    const account = this.account;
    if (!account) {
      this.settings = null;
      return;
    }
    const [browser, core] = await Promise.all([this.#loadBrowser(), this.#loadCore()]);
    try {
      const settings = await browser.readReminderSettings({ account, chainId: networkState.context.network.chainId });
      this.#show(settings, core.thresholdText);
      this.error = null;
    } catch (error) {
      this.#show(core.DEFAULT_REMINDER_SETTINGS, core.thresholdText);
      this.error = error;
    }
  }

  #show(settings: ReminderSettings, thresholdText: (wei: bigint) => string): void {
    this.settings = settings;
    this.thresholdInput = thresholdText(settings.claimable.thresholdWei);
    this.hoursInput = String(settings.silentDevice.hours);
  }

  /**
   * The facts for the active account: My devices' last syncs and the staking reads' withdraw times,
   * saved for the service worker. A failed chain read keeps the withdraw times saved before.
   */
  async gather(): Promise<void> {
    const account = this.account;
    if (!account) return;
    const { gatherReminderFacts } = await import('./reminderFacts.js');
    const browser = await this.#loadBrowser();
    await browser.saveReminderFacts(await gatherReminderFacts(account, browser.readReminderFacts));
  }

  /** Evaluates what is due now (notifying what is new), for badges and the app icon. */
  async check(): Promise<void> {
    // Checks overlap (a setting saved while facts change); only the latest started one shows its
    // answer, or an older, slower one would put back the badges of the settings before.
    const generation = ++this.#checks;
    const browser = await this.#loadBrowser();
    try {
      // Without an account (a locked wallet after a reload) the badges still show this network's last facts.
      const due = await browser.checkReminders(Math.floor(Date.now() / 1000), { chainId: networkState.context.network.chainId, account: this.account });
      if (generation !== this.#checks) return;
      this.due = due;
      await browser.setBadge(due.length);
    } catch (error) {
      if (generation === this.#checks) this.error = error;
    } finally {
      if (generation === this.#checks) this.checkedAt = Date.now();
    }
  }

  /** Switches one reminder; switching one on asks for notifications first when the browser has not been told. */
  async toggle(kind: ReminderKind, on: boolean): Promise<void> {
    if (!this.settings) return;
    if (on) await this.#askPermission();
    await this.#save((settings) =>
      kind === 'claimable'
        ? { ...settings, claimable: { ...settings.claimable, on } }
        : kind === 'withdrawable'
          ? { ...settings, withdrawable: { on } }
          : { ...settings, silentDevice: { ...settings.silentDevice, on } },
    );
  }

  /** Saves the threshold as typed (IOTX); a named error in `inputError` when it is not an amount. */
  async saveThreshold(): Promise<void> {
    if (!this.settings) return;
    const { parseThreshold } = await this.#loadCore();
    try {
      const thresholdWei = parseThreshold(this.thresholdInput);
      this.inputError = null;
      await this.#save((settings) => ({ ...settings, claimable: { ...settings.claimable, thresholdWei } }));
    } catch (error) {
      this.inputError = error;
    }
  }

  async saveHours(): Promise<void> {
    if (!this.settings) return;
    const { parseSilentHours } = await this.#loadCore();
    try {
      const hours = parseSilentHours(this.hoursInput);
      this.inputError = null;
      await this.#save((settings) => ({ ...settings, silentDevice: { ...settings.silentDevice, hours } }));
    } catch (error) {
      this.inputError = error;
    }
  }

  /**
   * Applies one change to the settings as last saved, one change at a time. Two switches flipped
   * in quick succession each start from what the other saved; from the form's copy, taken before
   * the other's save landed (the first one waits for the permission question), one would undo the other.
   */
  #save(change: (settings: ReminderSettings) => ReminderSettings): Promise<void> {
    const run = this.#saving.then(() => this.#apply(change));
    this.#saving = run.catch(() => undefined);
    return run;
  }

  async #apply(change: (settings: ReminderSettings) => ReminderSettings): Promise<void> {
    const account = this.account;
    if (!account) return;
    const scope = { account, chainId: networkState.context.network.chainId };
    const browser = await this.#loadBrowser();
    try {
      // Damaged saved settings: the form shows the defaults (load), and the change applies to those.
      const saved = await browser.readReminderSettings(scope).catch(() => this.settings);
      if (!saved) return;
      const next = change(saved);
      await browser.writeReminderSettings(scope, next);
      this.settings = next;
      this.error = null;
    } catch (error) {
      this.error = error;
      return;
    }
    await this.check();
  }

  async #askPermission(): Promise<void> {
    if (typeof Notification === 'undefined') {
      this.permission = 'unsupported';
      this.permissionMessage = PERMISSION_WORDS.unsupported;
      return;
    }
    let answer = Notification.permission;
    if (answer === 'default') answer = await Notification.requestPermission().catch(() => 'default' as const);
    this.permission = answer;
    this.permissionMessage = PERMISSION_WORDS[answer];
    if (answer === 'granted') this.periodic = await (await this.#loadBrowser()).registerPeriodicCheck();
  }
}

export const [getReminders, setReminders] = createContext<RemindersState>();
