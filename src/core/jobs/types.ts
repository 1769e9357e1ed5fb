import type { Abi, Address, Hash, Hex, PublicClient } from 'viem';
import type { ErrorRecord } from '../errorReport.js';

/**
 * The transaction-job runner's vocabulary (docs/jobs.md). A journey describes a job as a JobSpec
 * (code: steps with `landed` and `request`); the runner keeps a JobRecord (data only) in a
 * JobStore, so a reload can rebuild the spec from `params` and carry on where the record says.
 */

/** One contract call as the wallet is asked to send it, with what the confirmation needs to decode it. */
export type JobCall = {
  to: Address;
  data?: Hex;
  value?: bigint;
  /** The target's ABI, so the confirmation (src/core/signing/decode.ts) and revert decoding can name things. */
  abi?: Abi;
  /** A gas limit, when the journey knows better than the estimate. */
  gas?: bigint;
};

export type StepSpec = {
  /** Stable within the job: the stored record matches steps by id. */
  id: string;
  /** What the step does, for "Step 2 of 3: <label>". */
  label: string;
  /**
   * Whether the step's effect is already on-chain, read from the chain (never from memory). It
   * must stay true once later steps have used the effect (an approval consumed by the stake that
   * needed it still counts as landed: check the stake too), because the runner asks it on resume.
   */
  landed(client: PublicClient): Promise<boolean>;
  /** The call that makes the effect, built from current chain state. */
  request(client: PublicClient): Promise<JobCall> | JobCall;
};

/** What a job is, in the spec and in its stored record alike. */
type JobIdentity<Params> = {
  /** Unique per job; the same id resumes the same job. A journey derives it from what the job is about (e.g. `restake:31337:0xabc…:12`), so starting it twice finds the first. */
  id: string;
  /** Which journey built it; with `params`, enough to rebuild the steps after a reload. */
  kind: string;
  title: string;
  account: Address;
  chainId: number;
  /** Plain data (no bigint, no functions) the journey needs to rebuild the spec. */
  params: Params;
};

export type JobSpec<Params = unknown> = JobIdentity<Params> & { steps: readonly StepSpec[] };

/** Where one step stands. `at` is unix ms of the change. */
export type StepStatus =
  | { kind: 'waiting' }
  | { kind: 'simulating'; at: number }
  /**
   * Written before the wallet is asked (write-ahead): a reload from here cannot know whether the
   * wallet sent, so `landed()` and the account's nonce decide. `nonce` is the account's pending
   * nonce when the wallet was asked (null when it could not be read); `batchId` is set for EIP-5792.
   */
  | { kind: 'awaiting-signature'; at: number; nonce: number | null; block: number | null; batch?: boolean }
  | { kind: 'sent'; at: number; hash: Hash; nonce: number | null; block: number | null }
  | { kind: 'sent-in-batch'; at: number; batchId: string }
  | { kind: 'confirmed'; at: number; hash: Hash | null; block: number }
  | { kind: 'failed'; at: number; error: ErrorRecord; hash?: Hash }
  /** The sent transaction's nonce was used by another (a speed-up, a cancel, another app); `landed` then decided whether to send again. */
  | { kind: 'replaced'; at: number; hash: Hash; newHash: Hash | null; landed: boolean }
  /** Found on-chain before the runner sent anything for it (or while the hash was unknown). */
  | { kind: 'skipped-already-landed'; at: number };

type StepRecord = {
  id: string;
  label: string;
  status: StepStatus;
  /** Earlier statuses that ended in something other than done (a replaced or failed attempt), oldest first. */
  history: StepStatus[];
};

export type JobStatus = 'running' | 'paused' | 'cancelled' | 'failed' | 'done';

export type JobRecord<Params = unknown> = JobIdentity<Params> & {
  status: JobStatus;
  steps: StepRecord[];
  /** Why the job paused or failed (a wallet rejection, a revert, a timeout). */
  error: ErrorRecord | null;
  /** The EIP-5792 batch in flight, if the job went as one. */
  batch: { id: string; stepIds: string[]; at: number } | null;
  createdAt: number;
  updatedAt: number;
};

/** Where records live: IndexedDB in the app (src/browser/jobs), memory in tests. */
export type JobStore = {
  get(id: string): Promise<JobRecord | undefined>;
  put(record: JobRecord): Promise<void>;
  /** Every job of the account on the chain, oldest first. */
  list(filter: { account: Address; chainId: number }): Promise<JobRecord[]>;
  delete(id: string): Promise<void>;
  /**
   * Holds the job for this runner alone (another tab resuming the same job would send twice).
   * Resolves with a release function, or null when someone else holds it.
   */
  lock(id: string): Promise<(() => void) | null>;
};

/** What an EIP-5792 wallet answers about a batch, reduced to what the runner needs. */
export type BatchStatus = {
  status: 'pending' | 'success' | 'failure' | 'unknown';
  receipts: { transactionHash: Hash; blockNumber: bigint; status: 'success' | 'reverted' }[];
};

/**
 * The account's wallet as the runner needs it. `jobWalletFromClient` (./wallet.ts) builds one from
 * a viem wallet client; the app may wrap its own send path (confirmation, error naming).
 */
export type JobWallet = {
  address: Address;
  /** Sends one transaction and resolves with its hash once the wallet has broadcast it. */
  sendTransaction(call: JobCall): Promise<Hash>;
  /** EIP-5792: absent, or answering false, means one transaction per step. */
  supportsAtomicBatch?(chainId: number): Promise<boolean>;
  sendCalls?(calls: readonly JobCall[], chainId: number): Promise<string>;
  getCallsStatus?(id: string): Promise<BatchStatus>;
};

export type JobPhase =
  | 'checking'
  | 'simulating'
  | 'confirming'
  | 'awaiting-signature'
  | 'pending'
  | 'waiting-for-earlier-transaction'
  | 'step-done'
  | 'finished';

/** "Step 2 of 3: Stake", and what is happening in it. */
export type JobProgress = {
  /** 1-based. */
  step: number;
  total: number;
  label: string;
  phase: JobPhase;
  /** The hash being followed, when there is one. */
  hash?: Hash;
  text: string;
};

/** What the app shows before the wallet is asked: every call about to go, simulated. */
export type StepConfirmation = {
  job: { id: string; title: string; account: Address; chainId: number };
  calls: { step: number; total: number; label: string; call: JobCall; gas: bigint | null }[];
  /** True when the calls go to the wallet as one EIP-5792 batch (one prompt). */
  batch: boolean;
};

export type RunJobOptions = {
  /**
   * Aborting stops the runner at the next safe point (never between the wallet's answer and
   * storing the hash). With a `JobCancelledError` as reason the job ends cancelled; with any other
   * reason it is paused and resumes later.
   */
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress, record: JobRecord) => void;
  /** Shows the decoded, simulated call(s) and resolves when the user approves; a rejection pauses the job. */
  confirm?: (request: StepConfirmation) => Promise<void>;
  /** Told of each transaction the wallet sent (for the app's history). */
  onSent?: (hash: Hash, step: { id: string; label: string }) => void;
  /** How often the chain is polled while following a transaction; defaults to the client's polling interval. */
  pollingIntervalMs?: number;
  /** How long a transaction is followed before the job pauses (it resumes following the same hash). Default 10 minutes. */
  receiptTimeoutMs?: number;
  /** How long an unknown hash (neither mined nor in the node's pool) is watched before it counts as dropped. Default 30 s. */
  droppedAfterMs?: number;
  /** Whether to try EIP-5792 when the wallet has it (default true). */
  batch?: boolean;
  /** The clock, for records. */
  now?: () => number;
};
