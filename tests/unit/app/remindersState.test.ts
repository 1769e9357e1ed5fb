/**
 * The reminders state's refreshes (src/app/state/reminders.svelte.ts): they run one after another,
 * and requests made while one waits join it. A gathering that started earlier (held up by a slow
 * chain read) must not save its older picture of My devices over a later one's; that race lost a
 * seeded device in the reminders e2e on CI. The gathering and check are replaced here by
 * recorders: what is tested is the order, not IndexedDB.
 *
 * Settings changes run over a real IndexedDB implementation (fake-indexeddb): two switches flipped
 * at once both stay on (each change applies to what the other saved, not to the form's old copy).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { readReminderSettings } from '../../../src/browser/reminders/reminders.js';
import { networkState } from '../../../src/app/state/network.svelte.js';
import { RemindersState } from '../../../src/app/state/reminders.svelte.js';
import type { WalletSession } from '../../../src/app/state/walletSession.svelte.js';

type Gate = { promise: Promise<void>; open: () => void };
function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

class RecordingReminders extends RemindersState {
  readonly events: string[] = [];
  readonly gates: Gate[] = [];
  #gathers = 0;
  override load(): Promise<void> {
    return Promise.resolve();
  }
  override async gather(): Promise<void> {
    const number = ++this.#gathers;
    this.events.push(`gather ${number} starts`);
    const held = gate();
    this.gates.push(held);
    await held.promise;
    this.events.push(`gather ${number} saves`);
  }
  override check(): Promise<void> {
    this.events.push('check');
    return Promise.resolve();
  }
}

const session = { active: null, onActiveChange: () => () => undefined } as unknown as WalletSession;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RemindersState.refresh', () => {
  it('a refresh asked for while one gathers starts after it has saved; later requests join the waiting one', async () => {
    const reminders = new RecordingReminders(session);
    const first = reminders.refresh();
    expect(reminders.checking).toBe(true);
    await settle();
    const second = reminders.refresh();
    let thirdDone = false;
    const third = reminders.refresh().then(() => (thirdDone = true));
    await settle();
    expect(reminders.events).toEqual(['gather 1 starts']);

    reminders.gates[0]!.open();
    await first;
    // The first is done, the second runs: still checking.
    expect(reminders.checking).toBe(true);
    await settle();
    expect(reminders.events).toEqual(['gather 1 starts', 'gather 1 saves', 'check', 'gather 2 starts']);
    // The third joined the second: it is not done before the second's gathering has saved.
    expect(thirdDone).toBe(false);

    reminders.gates[1]!.open();
    await second;
    await third;
    expect(reminders.events).toEqual(['gather 1 starts', 'gather 1 saves', 'check', 'gather 2 starts', 'gather 2 saves', 'check']);
    expect(reminders.checking).toBe(false);
  });

  it('a refresh asked for after the last one ended runs at once, and a failed one does not stop the next', async () => {
    const reminders = new RecordingReminders(session);
    const first = reminders.refresh();
    await settle();
    reminders.gates[0]!.open();
    await first;
    expect(reminders.checking).toBe(false);

    reminders.check = () => Promise.reject(new Error('storage gone'));
    const failing = reminders.refresh();
    const next = reminders.refresh();
    await settle();
    reminders.gates[1]!.open();
    await expect(failing).rejects.toThrow('storage gone');
    await settle();
    expect(reminders.events.filter((event) => event.endsWith('starts'))).toEqual(['gather 1 starts', 'gather 2 starts', 'gather 3 starts']);
    reminders.gates[2]!.open();
    await expect(next).rejects.toThrow('storage gone');
    expect(reminders.checking).toBe(false);
  });
});

describe('RemindersState settings', () => {
  const ME = '0x1111111111111111111111111111111111111111';
  const signedIn = { active: { address: ME }, onActiveChange: () => () => undefined } as unknown as WalletSession;
  class NoCheck extends RemindersState {
    override check(): Promise<void> {
      return Promise.resolve();
    }
  }

  it('switches flipped and hours saved at the same moment all land, each on top of the other', async () => {
    const reminders = new NoCheck(signedIn);
    await reminders.load();
    expect(reminders.settings?.silentDevice.on).toBe(false);
    reminders.hoursInput = '4';
    await Promise.all([reminders.toggle('silentDevice', true), reminders.toggle('claimable', true), reminders.saveHours(), reminders.toggle('withdrawable', true)]);
    const expected = { claimable: { on: true, thresholdWei: 10n ** 18n }, withdrawable: { on: true }, silentDevice: { on: true, hours: 4 } };
    expect(await readReminderSettings({ account: ME, chainId: networkState.context.network.chainId })).toEqual(expected);
    expect(reminders.settings).toEqual(expected);
  });
});
