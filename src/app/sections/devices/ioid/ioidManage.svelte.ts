import { isHex, type Address, type Hex } from 'viem';
import { parseAddress } from '../../../../core/address.js';
import { OutpostError } from '../../../../core/errors.js';
import { IoidError } from '../../../../core/ioid/errors.js';
import { ioidManageJob, ioidManageNeedsDevice, type IoidManageAction } from '../../../../core/ioid/manageJobs.js';
import type { JobsState } from '../../../state/jobs.svelte.js';
import { networkState } from '../../../state/network.svelte.js';
import type { WalletSession } from '../../../state/walletSession.svelte.js';
import type { IoidJourney } from './ioidJourney.svelte.js';

export type ManageKind = IoidManageAction['kind'];

/** The five ways to manage an ioID (docs/ioid.md, "Managing an ioID"), as the screen names them. */
export const MANAGE_ACTIONS: readonly { kind: ManageKind; label: string; help: string }[] = [
  { kind: 'update', label: 'Update the DID document', help: 'A new document hash and URI; the device signs a fresh permit.' },
  { kind: 'transfer', label: 'Transfer the ioID', help: 'The ioID NFT goes to another address, with its account and the device NFT in it.' },
  { kind: 'migrate', label: 'Migrate to another owner', help: 'The registry moves the ioID to the new owner; the device signs a permit for them.' },
  { kind: 'withdraw-nft', label: 'Take the device NFT out', help: 'Moves the device NFT out of the ioID’s ERC-6551 account.' },
  { kind: 'remove', label: 'Remove the ioID', help: 'Its DID stops resolving; the ioID NFT and the device NFT stay yours. The device signs.' },
];

/**
 * Managing a minted ioID from the device's page: the form's values become one action, run as a
 * job on the shared runner (decoded, simulated and confirmed like every transaction; the device
 * signs where the registry needs its permit, after the permit was shown).
 */
export class IoidManage {
  kind = $state<ManageKind>('update');
  to = $state('');
  documentURI = $state('');
  documentHash = $state('');
  error = $state<unknown>(null);
  busy = $state(false);

  readonly #journey: IoidJourney;
  readonly #session: WalletSession;
  readonly #jobs: JobsState;

  constructor(journey: IoidJourney, deps: { session: WalletSession; jobs: JobsState }) {
    this.#journey = journey;
    this.#session = deps.session;
    this.#jobs = deps.jobs;
  }

  /** Kept by the journey, so the finished job outlives this form (see IoidJourney.manageJobId). */
  get jobId(): string | null {
    return this.#journey.manageJobId;
  }

  get needsDevice(): boolean {
    return ioidManageNeedsDevice({ kind: this.kind });
  }

  /** The form as an action; a bad field throws its named error (shown, nothing sent). */
  action(): IoidManageAction {
    const device = this.#journey.device;
    switch (this.kind) {
      case 'update': {
        const hash = this.documentHash.trim();
        if (!isHex(hash) || hash.length !== 66 || /^0x0{64}$/.test(hash)) {
          throw new IoidError('ioid.job_params_invalid', 'The document hash must be 32 bytes (0x and 64 hex digits), not all zero.', {
            hint: 'Paste the keccak-256 hash of the DID document you published at the URI.',
          });
        }
        return { kind: 'update', device, documentHash: hash as Hex, documentURI: this.documentURI.trim() };
      }
      case 'remove':
        return { kind: 'remove', device };
      default:
        return { kind: this.kind, device, to: parseAddress(this.to.trim()) as Address };
    }
  }

  async run(): Promise<void> {
    this.error = null;
    this.busy = true;
    try {
      const action = this.action();
      const active = this.#session.active;
      if (!active) throw new OutpostError('wallet.not_connected', 'Connect or unlock the wallet that owns this ioID first.', { hint: 'Open the Wallet tab to unlock or connect it.' });
      const { network } = networkState.context;
      const client = await this.#journey.client();
      const spec = await ioidManageJob(
        client,
        { account: active.address, chainId: network.chainId, contracts: this.#journey.contracts() },
        action,
        ioidManageNeedsDevice(action) ? this.#journey.hooksFor(this.#journey.device) : null,
      );
      this.#journey.manageJobId = spec.id;
      await this.#jobs.run(spec);
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
      await this.#journey.settled();
    }
  }
}
