/**
 * The epoch length batches are proved for. A proof binds its window to one epoch of the relay it
 * goes to, so the length is the relay's (GET /v1/info), remembered per relay so that proving works
 * offline too; with neither, the default every Outpost relay ships with.
 */
import { readSetting, writeSetting } from '../storage/db.js';
import { RELAY_EPOCH_SECONDS } from '../../core/outbox/batch.js';
import { fetchRelayInfo } from '../../core/outbox/relayClient.js';

export type RelayEpoch = { epochSeconds: number; source: 'relay' | 'remembered' | 'default' };

const settingKey = (relayUrl: string) => `relay-epoch-seconds:${relayUrl}`;
const isEpochSeconds = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

export async function relayEpochSeconds(relayUrl: string | null, fetchFn: typeof fetch = fetch): Promise<RelayEpoch> {
  if (!relayUrl) return { epochSeconds: RELAY_EPOCH_SECONDS, source: 'default' };
  try {
    const { epochSeconds } = await fetchRelayInfo(relayUrl, fetchFn);
    // Remembering is a convenience: a full or blocked storage must not stop the proof.
    await writeSetting(settingKey(relayUrl), epochSeconds).catch(() => undefined);
    return { epochSeconds, source: 'relay' };
  } catch {
    const remembered = await readSetting(settingKey(relayUrl), isEpochSeconds).catch(() => undefined);
    return remembered ? { epochSeconds: remembered, source: 'remembered' } : { epochSeconds: RELAY_EPOCH_SECONDS, source: 'default' };
  }
}
