import { getAddress, isAddress, isAddressEqual, type Address, type Hex } from 'viem';
import { DeviceError } from '../../../../device/errors.js';
import { OutpostError } from '../../../../core/errors.js';
import { IoidError } from '../../../../core/ioid/errors.js';
import type { IoidDeviceHooks } from '../../../../core/ioid/devicePermit.js';
import { IOID_MANAGE_JOB_KIND, rebuildIoidManageJob } from '../../../../core/ioid/manageJobs.js';
import { ioidMintJob, ioidPromptCount, rebuildIoidJob, IOID_JOB_KIND } from '../../../../core/ioid/mintJob.js';
import { ioidPermitTypedData, type DecodedIoidPermit } from '../../../../core/ioid/permit.js';
import { readHeldTokens, readIoidProject, readNftRegistered, readRegistryApproval, type IoidContracts } from '../../../../core/ioid/reads.js';
import type { JobRecord } from '../../../../core/jobs/types.js';
import { formatNative } from '../../../../core/signing/decode.js';
import type { ConfirmationQueue } from '../../../state/confirmationQueue.svelte.js';
import type { JobsState } from '../../../state/jobs.svelte.js';
import { networkState } from '../../../state/network.svelte.js';
import type { WalletSession } from '../../../state/walletSession.svelte.js';
import { deviceState } from '../deviceState.svelte.js';
import type { MyDevicesState } from '../myDevices.svelte.js';
import { journeyRows, type JourneyCheck, type JourneyRow } from './journeySteps.js';

/** What the journey shows while the device's Permit is on screen or being signed. */
type Signing = 'idle' | 'showing' | 'signing';

/**
 * One device's ioID mint journey (issue 15, docs/ioid.md) on its page: the pre-checks read from
 * the chain (project, device NFT, approval, prompts), then ONE job on the shared runner
 * (src/core/ioid/mintJob.ts). The device signs the Permit over its link when the register step is
 * built, after the Permit was shown; a device that is not connected (or drops) pauses the job at
 * that step, and Resume asks it again. Everything already on-chain is skipped on resume.
 */
export class IoidJourney {
  check = $state<JourneyCheck>({ state: 'idle' });
  /** Wallet confirmations still needed (from the chain), once read. */
  prompts = $state<number | null>(null);
  /** Why the journey did not start (no wallet, wrong network, device not connected…), as thrown. */
  error = $state<unknown>(null);
  busy = $state(false);
  signing = $state<Signing>('idle');
  /** IoTeX networks: the project's device NFT contract, typed by the owner (the devnet uses its demo NFT). */
  nftInput = $state('');
  tokenIdInput = $state('');
  /**
   * The last manage job started from this page. It lives here, not in the manage form, because a
   * transfer or migration ends with the ioID someone else's: the form goes, and the finished job
   * (its hash, its steps) must stay on screen.
   */
  manageJobId = $state<string | null>(null);

  readonly device: Address;
  readonly #session: WalletSession;
  readonly #jobs: JobsState;
  readonly #confirmations: ConfirmationQueue;
  readonly #myDevices: MyDevicesState;

  constructor(device: Address, deps: { session: WalletSession; jobs: JobsState; confirmations: ConfirmationQueue; myDevices: MyDevicesState }) {
    this.device = getAddress(device);
    this.#session = deps.session;
    this.#jobs = deps.jobs;
    this.#confirmations = deps.confirmations;
    this.#myDevices = deps.myDevices;
    // After a reload the stored job is rebuilt with the hooks of the device as connected then.
    this.#jobs.register(IOID_JOB_KIND, (record) => rebuildIoidJob(record, this.hooksFor(jobDevice(record))));
    this.#jobs.register(IOID_MANAGE_JOB_KIND, (record) => rebuildIoidManageJob(record, this.hooksFor(jobDevice(record))));
  }

  /** The devnet's demo device NFT (open mint), or null on IoTeX networks. */
  get demoNft(): Address | null {
    if (networkState.context.network.id !== 'devnet') return null;
    const nft = networkState.devnet.config?.extra?.deviceNFT;
    return typeof nft === 'string' && isAddress(nft) ? getAddress(nft) : null;
  }

  /** The device NFT contract the journey registers with, or null until the owner names one. */
  get deviceNft(): Address | null {
    const typed = this.nftInput.trim();
    return this.demoNft ?? (isAddress(typed) ? getAddress(typed) : null);
  }

  /** This device's mint job for the account on screen, if one was ever started. */
  get record(): JobRecord | null {
    return this.#jobs.jobs.find((job) => job.kind === IOID_JOB_KIND && isAddressEqual(jobDevice(job), this.device)) ?? null;
  }

  get jobId(): string | null {
    return this.record?.id ?? null;
  }

  get connected(): boolean {
    const current = deviceState.device;
    return current !== null && isAddressEqual(current.address, this.device);
  }

  get registeredHere(): boolean {
    const view = this.#myDevices.ioidOf(this.device);
    const account = this.#session.active?.address;
    return view?.state === 'known' && view.status.registered && account !== undefined && isAddressEqual(view.status.owner, account);
  }

  get rows(): JourneyRow[] {
    const auth = deviceState.authenticity.state;
    const error = this.jobId ? this.#jobs.errors[this.jobId] : null;
    return journeyRows({
      registered: this.registeredHere,
      connected: this.connected,
      authenticity: this.connected ? auth : 'unchecked',
      check: this.check,
      record: this.record,
      signing: this.signing,
      errorCode: error instanceof OutpostError ? error.code : null,
    });
  }

  contracts(): IoidContracts {
    const contracts = this.#myDevices.ioidContracts();
    if (typeof contracts === 'string') throw new IoidError('ioid.project_unbound', contracts, { hint: 'Choose a network with ioID in Settings.' });
    return contracts;
  }

  client(): ReturnType<MyDevicesState['client']> {
    return this.#myDevices.client();
  }

  /** Reads what the journey needs from the chain: project, device NFT held or mintable, approval, prompts. */
  async readCheck(): Promise<void> {
    const account = this.#session.active?.address;
    const nft = this.deviceNft;
    if (!account || !nft) {
      this.check = { state: 'idle' };
      this.prompts = null;
      return;
    }
    this.check = { state: 'reading' };
    try {
      const client = await this.#myDevices.client();
      const contracts = this.contracts();
      const [project, approved, held] = await Promise.all([
        readIoidProject(client, contracts, nft),
        readRegistryApproval(client, contracts, nft, account),
        this.#holdsUnusedNft(nft, account),
      ]);
      const problem = await projectProblem(project, client, account);
      if (problem) {
        this.check = { state: 'failed', message: problem };
        this.prompts = null;
        return;
      }
      const nftState = held ? 'held' : this.demoNft ? 'demo-mint' : 'none';
      const kind = project.kind === 'hardware' ? `hardware, ${project.prepaidLeft} prepaid ioID${project.prepaidLeft === 1n ? '' : 's'} left` : `virtual, ${formatNative(project.price)} per device`;
      this.check = { state: 'ready', project: `Project #${project.projectId} (${kind})`, nft: nftState, approved };
      this.prompts = ioidPromptCount({ mintsDemoNft: nftState === 'demo-mint', approved, registered: false });
    } catch (error) {
      this.check = { state: 'failed', message: error instanceof Error ? (error as { shortMessage?: string }).shortMessage ?? error.message : String(error) };
      this.prompts = null;
    }
  }

  async #holdsUnusedNft(nft: Address, account: Address): Promise<boolean> {
    const client = await this.#myDevices.client();
    const tokenId = this.tokenIdInput.trim();
    if (/^\d+$/.test(tokenId)) return true;
    try {
      for (const id of await readHeldTokens(client, nft, account)) {
        if (!(await readNftRegistered(client, this.contracts(), nft, id))) return true;
      }
      return false;
    } catch {
      // IoTeX's nodes bound log ranges: the register step names the problem if there is none.
      return false;
    }
  }

  /** Starts the journey (or resumes the stored job: same id). */
  async start(): Promise<void> {
    this.error = null;
    this.busy = true;
    try {
      const active = this.#session.active;
      const { network } = networkState.context;
      if (!active) throw new OutpostError('wallet.not_connected', 'Connect or unlock a wallet first.', { hint: 'Open the Wallet tab to create, unlock or connect one; the ioID will belong to it.' });
      if (active.chainId !== network.chainId) {
        throw new IoidError('ioid.wrong_network', `${active.connectorName} is on chain ${active.chainId}, but this ioID is minted on ${network.name} (chain ${network.chainId}).`, {
          hint: `Switch ${active.connectorName} to ${network.name}, or choose its network in Settings, then start again.`,
        });
      }
      const nft = this.deviceNft;
      if (!nft) {
        throw new IoidError('ioid.no_device_nft', 'Name your project’s device NFT contract first.', {
          hint: `On ${network.name} only your device’s project can provide its device NFT: ask the maker or seller for the contract address and your token.`,
        });
      }
      const tokenId = this.tokenIdInput.trim();
      const client = await this.#myDevices.client();
      const spec = await ioidMintJob(
        client,
        { account: active.address, chainId: network.chainId, contracts: this.contracts(), demoDeviceNFT: this.demoNft },
        { device: this.device, deviceNFT: nft, ...(/^\d+$/.test(tokenId) ? { tokenId: BigInt(tokenId) } : {}) },
        this.hooksFor(this.device),
      );
      await this.#jobs.run(spec);
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
      await this.settled();
    }
  }

  /** After the job moved (here or resumed from its progress card): read the chain again. */
  async settled(): Promise<void> {
    await this.#myDevices.readIoid(this.device);
    if (!this.registeredHere) await this.readCheck();
  }

  /** The device's key over its link, and the Permit shown before the device is asked. */
  hooksFor(device: Address): IoidDeviceHooks {
    return {
      signer: {
        address: device,
        signDigest: async (digest: Hex, signal?: AbortSignal) => {
          const connected = deviceState.device;
          if (!connected || !isAddressEqual(connected.address, device)) {
            throw new DeviceError('device.not_connected', `The device ${device} is not connected.`, {
              hint: 'Connect it on this page (Bluetooth, USB or the simulator), then press Resume: everything already done is kept.',
            });
          }
          signal?.throwIfAborted();
          this.signing = 'signing';
          try {
            const signature = await untilAborted(connected.client.signDigest(digest), signal);
            return signature.serialized;
          } finally {
            this.signing = 'idle';
          }
        },
      },
      showPermit: async (permit: DecodedIoidPermit) => {
        this.signing = 'showing';
        try {
          await this.#confirmations.confirmDevicePermit({
            title: 'The device signs a permit for its ioID',
            from: permit.owner,
            device: permit.device,
            deviceName: this.#myDevices.find(permit.device)?.name ?? permit.device,
            text: permit.text,
            digest: permit.digest,
            typedData: ioidPermitTypedData(permit),
          });
        } finally {
          this.signing = 'idle';
        }
      },
    };
  }
}

/** The device a stored ioID job is about: the mint job's `device`, a manage job's `action.device`. */
function jobDevice(record: JobRecord): Address {
  const params = record.params as { device?: unknown; action?: { device?: unknown } } | null;
  const device = params?.device ?? params?.action?.device;
  return typeof device === 'string' && isAddress(device) ? getAddress(device) : '0x0000000000000000000000000000000000000000';
}

/** What stops registration before anything is sent, in words, or null. */
async function projectProblem(project: Awaited<ReturnType<typeof readIoidProject>>, client: Awaited<ReturnType<MyDevicesState['client']>>, account: Address): Promise<string | null> {
  if (project.projectId === 0n) return `The device NFT contract ${project.deviceNFT} is not bound to an ioID project: the project owner must bind it first.`;
  if (project.kind === 'hardware' && project.prepaidLeft === 0n) return `Project #${project.projectId} has no prepaid ioIDs left: the project owner must buy more.`;
  if (project.kind === 'virtual') {
    const balance = await client.getBalance({ address: account });
    if (balance < project.price) return `Registering costs ${formatNative(project.price)} (ioIDStore.price()); this account holds ${formatNative(balance)}. Add IOTX first.`;
  }
  return null;
}

/** The device request, or the abort's reason as soon as the job's signal fires (pause or cancel). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
