/**
 * Every code an `OutpostError` can carry, one registry per domain, all named `domain.snake_case`.
 * Tests, stored records and the UI switch on these strings, so they are a contract: renaming one
 * means updating whatever stored it (see docs/errors.md). Listing them here lets the type system
 * refuse a typo'd or unregistered code at the `new` call.
 */
import { REJECTION_CODES, type RejectionCode } from './relayWire/refusals.js';

const registry = <const Domain extends string, const Names extends readonly string[]>(domain: Domain, names: Names) =>
  Object.fromEntries(names.map((name) => [name, `${domain}.${name}`])) as { readonly [N in Names[number]]: `${Domain}.${N}` };

const DEVICE_ERRORS = registry('device', [
  'ble_cancelled', 'ble_connect', 'ble_disabled', 'ble_no_adapter', 'ble_no_gatt', 'ble_no_le', 'ble_not_allowed', 'ble_permission',
  'ble_reconnect', 'ble_request', 'browser_unsupported', 'challenge_nonce', 'connect_cancelled',
  'frame_crc', 'frame_header', 'frame_id', 'frame_too_large', 'frame_type',
  'identity_did', 'identity_did_mismatch', 'identity_public_key',
  'ioconnect_digest', 'ioconnect_puk', 'ioconnect_sign_failed', 'ioconnect_timeout',
  'link_closed', 'link_lost',
  'message_bad_text', 'message_bytes32', 'message_parity', 'message_string_too_long', 'message_trailing', 'message_truncated',
  'message_wifi_state', 'message_wrong_type',
  'protocol_version',
  'readings_commitment', 'readings_count', 'readings_gap', 'readings_order', 'readings_scheme', 'readings_too_many',
  'readings_unknown_scheme', 'readings_unsigned',
  'rejected', 'serial_cancelled', 'serial_not_allowed', 'serial_open',
  'signature_length', 'signature_mismatch', 'signature_non_canonical', 'signature_range',
  'sim_identity', 'sim_name', 'tcp_connect', 'timeout', 'unknown', 'unsupported',
  'wifi_password', 'wifi_ssid', 'wifi_timeout',
]);

export const WALLET_ERRORS = registry('wallet', [
  'amount_above_balance', 'amount_empty', 'amount_not_a_number', 'amount_zero', 'amount_negative', 'amount_too_many_decimals',
  'faucet_unavailable', 'keystore_invalid', 'keystore_wrong_password', 'locked',
  'mnemonic_unknown_word', 'mnemonic_bad_checksum', 'mnemonic_wrong_length',
  'none', 'passkey_failed', 'passkey_unavailable', 'private_key_invalid', 'rejected', 'switch_refused', 'tampered',
  'unknown_connector', 'walletconnect_no_project_id', 'weak_password', 'wrong_password',
  'not_connected', 'not_loaded', 'no_passkey', 'walletconnect_no_session', 'request_failed',
  'indexer_unreachable', 'indexer_bad_response', 'indexer_none', 'replacement_too_late', 'replacement_unknown_tx', 'nonce_ignored',
  'scan_not_address', 'scan_token_transfer', 'camera_denied', 'camera_not_found', 'camera_unavailable',
]);

export const ZK_ERRORS = registry('zk', [
  'artifact_mismatch', 'artifact_offline', 'artifact_unavailable', 'batch_too_few', 'batch_too_many', 'commitment_mismatch',
  'params_invalid', 'prove_cancelled', 'prove_disposed', 'prove_failed', 'prove_signals_mismatch', 'quality_stuck_sensor',
  'reading_invalid', 'reading_out_of_bounds', 'timestamp_not_rising', 'timestamp_outside_window',
  'verify_bad_key', 'verify_unavailable', 'worker_crashed', 'worker_failed', 'worker_protocol',
]);

const OUTBOX_ERRORS = registry('outbox', ['invalid_submission', 'relay_bad_info', 'relay_bad_receipt', 'relay_unreachable', 'relay_wrong_receipt', 'unsent']);
const BATCH_ERRORS = registry('batch', ['merkle_empty', 'merkle_index']);
const STORAGE_ERRORS = registry('storage', ['failed', 'full']);
const NETWORK_ERRORS = registry('network', ['devnet_invalid_config', 'devnet_unavailable', 'unknown']);
const RPC_ERRORS = registry('rpc', ['unreachable', 'wrong_chain']);
const CHAIN_ERRORS = registry('chain', ['contract_not_deployed', 'reverted']);
const SIGNING_ERRORS = registry('signing', ['typed_data_invalid']);
/** The transaction-job runner (src/core/jobs, docs/jobs.md). */
const JOB_ERRORS = registry('job', [
  'batch_failed', 'busy', 'cancelled', 'dropped', 'not_cancellable', 'paused', 'pending_elsewhere', 'receipt_timeout', 'reverted',
  'simulation_reverted', 'spec_mismatch', 'unknown_kind', 'wrong_account', 'wrong_chain',
]);
/** The staking data layer (src/core/staking, docs/staking.md). */
const STAKING_ERRORS = registry('staking', ['delegates_failed', 'logs_failed', 'no_multicall', 'read_failed']);
/** The Staking screens' checks of what the person typed or chose (src/app/sections/staking, docs/staking.md "Screens"); `staking.duration_invalid` is the actions' code. */
const STAKING_SCREEN_ERRORS = registry('staking', [
  'no_contract', 'amount_below_minimum', 'amount_above_balance', 'delegate_missing', 'selection_invalid',
]);
/** The staking actions (src/core/staking/actions.ts, docs/staking.md "Actions"): refusals before a job is made, and the jobs' own. */
const STAKING_ACTION_ERRORS = registry('staking', [
  'already_locked', 'already_unlocked', 'amount_zero', 'bucket_locked', 'duplicate_bucket', 'duration_invalid', 'duration_running',
  'duration_too_short', 'frozen', 'job_params_invalid', 'merge_refused', 'no_buckets', 'not_owner', 'not_unstaked', 'paused',
  'same_delegate', 'stake_not_found', 'unknown_bucket', 'unstaked', 'zero_address',
]);
export const ADDRESS_ERRORS = registry('address', ['empty', 'bad_hex', 'bad_hex_checksum', 'bad_bech32', 'bad_bech32_checksum', 'wrong_prefix', 'wrong_length']);
/**
 * Restaking (src/core/staking/restaking*.ts, docs/staking.md "Restaking"): an Outpost extension asked
 * for on an IoTeX network, and a stored restaking job whose params cannot be read back.
 */
const RESTAKING_ERRORS = registry('staking', ['extension_unavailable', 'restaking_job_invalid']);
/** The ioID mint journey (src/core/ioid, docs/ioid.md). */
const IOID_ERRORS = registry('ioid', [
  'already_registered', 'device_unreachable', 'insufficient_funds', 'job_params_invalid', 'nft_already_registered', 'nft_not_owned',
  'no_device_nft', 'permit_other_owner', 'permit_other_signer', 'permit_stale', 'project_unbound', 'quota_exhausted',
  'signature_high_s', 'signature_length', 'wrong_network',
]);
/** My devices (src/core/devices, src/app/sections/devices): the name the owner gives a device; a device asked to sign while not connected. */
const MY_DEVICES_ERRORS = registry('device', ['name_empty', 'name_too_long', 'not_connected']);
/**
 * Managing an ioID (src/core/ioid/manageJobs.ts, docs/ioid.md "Managing an ioID"): update, remove,
 * migrate, transfer, and taking the device NFT out of the ioID's wallet.
 */
const IOID_MANAGE_ERRORS = registry('ioid', [
  'bad_recipient', 'device_hooks_missing', 'nft_not_in_wallet', 'not_owner', 'not_registered', 'signer_not_device',
]);
/** The in-page simulated device (src/browser/device/simulated, docs/protocol.md "Simulated device in the page"). */
const SIMULATED_DEVICE_ERRORS = registry('device', ['simulated_unknown', 'simulated_worker']);
/**
 * Rewards (src/core/rewards, docs/rewards.md): the relay's reward proofs unreachable or malformed, the
 * chain reads behind the Rewards screen, and the claim job's refusals.
 */
const REWARDS_ERRORS = registry('rewards', [
  'job_invalid', 'no_contract', 'nothing_to_claim', 'read_failed', 'relay_bad_answer', 'relay_unreachable',
]);
/** Reminders (src/core/reminders, src/browser/reminders, docs/reminders.md): settings typed or read back, stored facts. */
const REMINDERS_ERRORS = registry('reminders', ['facts_invalid', 'hours_invalid', 'settings_invalid', 'threshold_empty', 'threshold_invalid']);
/** The relay server's own failures to start or run as configured (src/relay); never sent as a refusal. */
const RELAY_SERVER_ERRORS = registry('relay', ['config_invalid', 'config_missing', 'config_epoch_mismatch']);

/**
 * The relay's refusal codes as the app sees them: `relay.<wire code>`. The wire codes themselves
 * (`bad_proof`, `replay`, …) belong to the relay protocol and live in its wire contract
 * (core/relayWire/refusals.ts).
 * `http_<status>` covers a relay that answered an error without a JSON body.
 */
const RELAY_WIRE_CODES = Object.keys(REJECTION_CODES) as RejectionCode[];
type RelayWireCode = RejectionCode;
type RelayRefusalCode = `relay.${RelayWireCode}` | `relay.http_${number}`;

type ValuesOf<T> = T[keyof T];
export type OutpostErrorCode =
  | ValuesOf<typeof DEVICE_ERRORS>
  | ValuesOf<typeof WALLET_ERRORS>
  | ValuesOf<typeof ZK_ERRORS>
  | ValuesOf<typeof OUTBOX_ERRORS>
  | ValuesOf<typeof BATCH_ERRORS>
  | ValuesOf<typeof STORAGE_ERRORS>
  | ValuesOf<typeof NETWORK_ERRORS>
  | ValuesOf<typeof RPC_ERRORS>
  | ValuesOf<typeof CHAIN_ERRORS>
  | ValuesOf<typeof SIGNING_ERRORS>
  | ValuesOf<typeof ADDRESS_ERRORS>
  | ValuesOf<typeof JOB_ERRORS>
  | ValuesOf<typeof STAKING_ERRORS>
  | ValuesOf<typeof STAKING_SCREEN_ERRORS>
  | ValuesOf<typeof STAKING_ACTION_ERRORS>
  | ValuesOf<typeof RESTAKING_ERRORS>
  | ValuesOf<typeof RELAY_SERVER_ERRORS>
  | ValuesOf<typeof IOID_ERRORS>
  | ValuesOf<typeof MY_DEVICES_ERRORS>
  | ValuesOf<typeof IOID_MANAGE_ERRORS>
  | ValuesOf<typeof SIMULATED_DEVICE_ERRORS>
  | ValuesOf<typeof REWARDS_ERRORS>
  | ValuesOf<typeof REMINDERS_ERRORS>
  | RelayRefusalCode;

const registered = new Set<string>(
  [DEVICE_ERRORS, WALLET_ERRORS, ZK_ERRORS, OUTBOX_ERRORS, BATCH_ERRORS, STORAGE_ERRORS, NETWORK_ERRORS, RPC_ERRORS, CHAIN_ERRORS, SIGNING_ERRORS, ADDRESS_ERRORS, JOB_ERRORS, STAKING_ERRORS, STAKING_SCREEN_ERRORS, STAKING_ACTION_ERRORS, RESTAKING_ERRORS, RELAY_SERVER_ERRORS, IOID_ERRORS, MY_DEVICES_ERRORS, IOID_MANAGE_ERRORS, SIMULATED_DEVICE_ERRORS, REWARDS_ERRORS, REMINDERS_ERRORS].flatMap(
    (domain) => Object.values(domain) as string[],
  ),
);

/** Whether a code that arrived as data (a worker message, a stored record, a relay body) is one of ours. */
export function isOutpostErrorCode(value: unknown): value is OutpostErrorCode {
  if (typeof value !== 'string') return false;
  if (registered.has(value)) return true;
  if (value.startsWith('relay.')) {
    const wire = value.slice('relay.'.length);
    return (RELAY_WIRE_CODES as readonly string[]).includes(wire) || /^http_\d{3}$/.test(wire);
  }
  return false;
}
