/**
 * Reminders (issue 17) in the built app, in headless Chromium at 390×844, against the devnet stack:
 * with notifications allowed, each reminder notifies (through the service worker's registration)
 * and shows a badge on its tab only once its condition holds ("not before"); with the question
 * refused, the app says so, badges still show and nothing is notified.
 *
 * Where the facts come from: the silent device is a real My devices record (lastSyncedAt 5 hours
 * ago) gathered by the app's "Check now"; the claimable amount is reported through the exported
 * reportClaimable (the Rewards screen's call, not built yet); the withdrawable bucket is a facts
 * snapshot saved through the exported saveReminderFacts (a real one needs days of chain time).
 * Both go through tests/e2e/support/remindersApiEntry.ts bundled into the page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fromIoAddress } from '../../src/core/address.js';
import { launchChromium, newAppContext, trackPageErrors, waitForServiceWorker } from './harness/browser.js';
import { createWallet, openWalletScreen } from './support/appFlows.js';
import { remindersApiBundle } from './support/remindersApi.js';

const appUrl = inject('appUrl');
const CHAIN_ID = 31337;
const DEVICE = '0x7e57000000000000000000000000000000000a11';
const HOUR_MS = 3_600_000;
let browser: Browser;
let api: string;

beforeAll(async () => {
  browser = await launchChromium();
  api = await remindersApiBundle();
});
afterAll(async () => {
  await browser?.close();
});

type Shown = { title: string; body: string; tag: string; url: unknown };

async function notifications(page: Page): Promise<Shown[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: (n.data as { url?: unknown } | null)?.url }));
  });
}

async function badges(page: Page): Promise<Record<string, string>> {
  const shown: Record<string, string> = {};
  for (const section of ['devices', 'staking', 'rewards']) {
    const badge = page.getByTestId(`badge-${section}`);
    if ((await badge.count()) > 0) shown[section] = ((await badge.textContent()) ?? '').replace(/\D/g, '');
  }
  return shown;
}

/** Runs `step`, then waits until the app has finished a check that started after it. */
async function thenChecked(page: Page, step: () => Promise<unknown>): Promise<void> {
  const before = await page.getByTestId('reminders-checked').getAttribute('data-at');
  await step();
  await page.waitForFunction((previous) => {
    const at = document.querySelector('[data-testid="reminders-checked"]')?.getAttribute('data-at');
    return Boolean(at) && at !== previous;
  }, before, { timeout: 30_000 });
}

/** "Check now", waited for until its gathering has saved and the button is back (a check from elsewhere can land first). */
async function checkNow(page: Page): Promise<void> {
  await thenChecked(page, () => page.getByTestId('reminders-check').click());
  await expect.poll(() => page.getByTestId('reminders-check').isEnabled(), { timeout: 30_000 }).toBe(true);
}

/** A controlled page with a new embedded wallet, on the reminders screen; returns its account. */
async function openWithWallet(context: BrowserContext): Promise<{ page: Page; account: `0x${string}`; errors: string[] }> {
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  await page.goto(appUrl);
  await waitForServiceWorker(page);
  await page.reload();
  await expect(page.getByTestId('network-badge').textContent()).resolves.toContain('Devnet');
  await openWalletScreen(page, '');
  await createWallet(page, 'reminders e2e password 1!');
  const account = fromIoAddress(((await page.getByTestId('account-io').first().textContent()) ?? '').trim());
  await page.evaluate(() => (location.hash = '#/rewards/reminders'));
  await page.getByTestId('reminder-silent').waitFor({ timeout: 30_000 });
  await page.addScriptTag({ content: api });
  return { page, account, errors };
}

/** A My devices record for `account` whose readings were last synced `hoursAgo` hours ago. */
async function seedSilentDevice(page: Page, account: string, hoursAgo: number): Promise<void> {
  await page.evaluate(
    ([owner, device, chainId, syncedAt]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('outpost');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('devices', 'readwrite');
          tx.objectStore('devices').put(
            { chainId, account: owner, address: device, did: `did:io:${device.toLowerCase()}`, name: 'Roof sensor', transport: 'serial', protocol: 'outpost', pairedAt: syncedAt, lastSeenAt: syncedAt, lastSyncedAt: syncedAt },
            `${chainId}:${owner.toLowerCase()}:${device.toLowerCase()}`,
          );
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    [account, DEVICE, CHAIN_ID, Date.now() - hoursAgo * HOUR_MS] as const,
  );
}

async function setInput(page: Page, testid: string, value: string): Promise<void> {
  await page.getByTestId(testid).fill(value);
  await page.getByTestId(testid).press('Enter');
}

describe('reminders', () => {
  it('with notifications allowed: each reminder notifies once and badges its tab, only once its condition holds', async () => {
    const context = await newAppContext(browser);
    await context.grantPermissions(['notifications'], { origin: new URL(appUrl).origin });
    const { page, account, errors } = await openWithWallet(context);

    // The support matrix says what this browser does.
    await expect(page.getByTestId('reminders-support').locator('[data-feature="badges"]').textContent()).resolves.toContain('Badges on the tabs');

    // Switching a reminder on is the moment the permission is asked for (already granted here).
    await page.getByTestId('reminder-silent').check();
    await expect(page.getByTestId('reminders-permission').getAttribute('data-permission', { timeout: 10_000 })).resolves.toBe('granted');
    await page.getByTestId('reminder-claimable').check();
    await page.getByTestId('reminder-withdrawable').check();
    await setInput(page, 'reminder-threshold', '5');
    await thenChecked(page, () => setInput(page, 'reminder-hours', '6'));

    // Not before: a device silent 5 h with N = 6, 2 IOTX claimable below 5, a bucket withdrawable in an hour.
    await seedSilentDevice(page, account, 5);
    await checkNow(page);
    await thenChecked(page, () => page.evaluate(([owner, chainId]) => window.outpostReminders.reportClaimable(owner, chainId, 2n * 10n ** 18n), [account, CHAIN_ID] as const));
    await thenChecked(page, () =>
      page.evaluate(async ([owner, chainId]) => {
        const facts = (await window.outpostReminders.readReminderFacts({ account: owner, chainId }))!;
        const now = Math.floor(Date.now() / 1000);
        await window.outpostReminders.saveReminderFacts({ ...facts, withdrawableAt: [{ label: 'Bucket #901', at: now + 3600 }] });
      }, [account, CHAIN_ID] as const),
    );
    expect(await notifications(page)).toEqual([]);
    expect(await badges(page)).toEqual({});
    expect(await page.getByTestId('reminders-checked').textContent()).toContain('0 due');

    // N = 4: the device has been silent long enough.
    await thenChecked(page, () => setInput(page, 'reminder-hours', '4'));
    await expect.poll(() => badges(page), { timeout: 15_000 }).toEqual({ devices: '1' });
    const first = await notifications(page);
    expect(first).toEqual([
      {
        title: 'A device is silent',
        body: 'Roof sensor: no readings synced for 5 hours.',
        tag: expect.stringMatching(new RegExp(`^silent:${CHAIN_ID}:${account.toLowerCase()}:${DEVICE}:\\d+$`)),
        url: `#/devices/device/${getAddress(DEVICE)}`,
      },
    ]);

    // 6 IOTX claimable: above the threshold of 5.
    await thenChecked(page, () => page.evaluate(([owner, chainId]) => window.outpostReminders.reportClaimable(owner, chainId, 6n * 10n ** 18n), [account, CHAIN_ID] as const));
    await expect.poll(() => badges(page), { timeout: 15_000 }).toEqual({ devices: '1', rewards: '1' });

    // The bucket's time has come.
    await thenChecked(page, () =>
      page.evaluate(async ([owner, chainId]) => {
        const facts = (await window.outpostReminders.readReminderFacts({ account: owner, chainId }))!;
        const now = Math.floor(Date.now() / 1000);
        await window.outpostReminders.saveReminderFacts({ ...facts, withdrawableAt: [{ label: 'Bucket #901', at: now - 60 }] });
      }, [account, CHAIN_ID] as const),
    );
    await expect.poll(() => badges(page), { timeout: 15_000 }).toEqual({ devices: '1', rewards: '1', staking: '1' });
    const shown = await notifications(page);
    expect(shown.map((item) => [item.title, item.body, item.url]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['A device is silent', 'Roof sensor: no readings synced for 5 hours.', `#/devices/device/${getAddress(DEVICE)}`],
      ['Ready to withdraw', 'Bucket #901 can be withdrawn now.', '#/staking'],
      ['Rewards to claim', '6 IOTX can be claimed (your reminder is set at 5 IOTX).', '#/rewards'],
    ]);

    // Checked again: still due (badges), not notified a second time.
    await thenChecked(page, () => page.evaluate(([owner, chainId]) => window.outpostReminders.reportClaimable(owner, chainId, 6n * 10n ** 18n), [account, CHAIN_ID] as const));
    expect(await notifications(page)).toHaveLength(3);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('with notifications refused: the app says so, badges still show, nothing is notified', async () => {
    const context = await newAppContext(browser);
    const { page, account, errors } = await openWithWallet(context);
    await expect(page.evaluate(() => Notification.permission)).resolves.toBe('default');

    await page.getByTestId('reminder-silent').check();
    // Headless Chromium answers the question itself, with "denied".
    const message = page.getByTestId('reminders-permission');
    await expect(message.getAttribute('data-permission', { timeout: 10_000 })).resolves.toBe('denied');
    await expect(message.textContent()).resolves.toBe(
      'Notifications are blocked for this site; badges in the app still work. To get system notifications, allow them in the browser’s site settings.',
    );
    await expect(page.evaluate(() => Notification.permission)).resolves.toBe('denied');
    await expect(page.getByTestId('reminders-support').locator('[data-feature="notifications"]').getAttribute('data-works')).resolves.toBe('false');

    // Saving the hours starts a check of its own: wait for it, so the next check is the one after the seeding.
    await thenChecked(page, () => setInput(page, 'reminder-hours', '4'));
    await seedSilentDevice(page, account, 5);
    await checkNow(page);
    await expect.poll(() => badges(page), { timeout: 15_000 }).toEqual({ devices: '1' });
    expect(await notifications(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

declare global {
  interface Window {
    outpostReminders: typeof import('./support/remindersApiEntry.js');
  }
}
