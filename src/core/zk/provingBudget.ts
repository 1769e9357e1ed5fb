/**
 * What proving will cost on this device, said before it starts: how many proofs may run at once
 * (one on a low-memory phone), and how long one takes here, from this device's own last proofs.
 * Pure: the browser's hints and the stored timings come in as arguments.
 */

/** What the browser says about the device (navigator.hardwareConcurrency, navigator.deviceMemory in GB; both may be missing). */
export type DeviceHints = { hardwareConcurrency?: number; deviceMemory?: number };

export type ProvingBudget = {
  /** Proofs the prover runs at the same time; more wait their turn. */
  proofsAtOnce: 1 | 2;
  lowMemory: boolean;
  cores: number | null;
  memoryGb: number | null;
};

/**
 * At or below this much memory (navigator.deviceMemory, which browsers round down to 0.25, 0.5, 1,
 * 2, 4 or 8 GB) a device proves one batch at a time: each proof holds the 13 MB of artifacts plus
 * snarkjs's working buffers and the helper threads' wasm memories, and a phone with 2 GB shares
 * them with everything else it runs.
 */
const LOW_MEMORY_GB = 2;

/** How many recent proofs the estimate looks at, and how many are kept. */
const ESTIMATE_WINDOW = 5;
const KEPT_TIMINGS = 10;

function positive(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

export function provingBudget(hints: DeviceHints): ProvingBudget {
  const cores = positive(hints.hardwareConcurrency);
  const memoryGb = positive(hints.deviceMemory);
  const lowMemory = memoryGb !== null && memoryGb <= LOW_MEMORY_GB;
  return { proofsAtOnce: lowMemory ? 1 : 2, lowMemory, cores, memoryGb };
}

export type ProvingEstimate = { ms: number; basedOn: number };

/** The median of this device's last proofs (ms, oldest first), or null before its first. */
export function estimateProving(timings: readonly number[]): ProvingEstimate | null {
  const recent = timings.filter((ms) => Number.isFinite(ms) && ms > 0).slice(-ESTIMATE_WINDOW);
  if (!recent.length) return null;
  const sorted = [...recent].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return { ms: sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2, basedOn: recent.length };
}

/** The timings to keep after a proof that took `ms`. */
export function recordTiming(timings: readonly number[], ms: number): number[] {
  return [...timings, Math.round(ms)].slice(-KEPT_TIMINGS);
}

/** One line for the screen, before the user starts a proof. */
export function describeProvingCost(estimate: ProvingEstimate | null, budget: ProvingBudget): string {
  const device = [budget.cores && `${budget.cores} cores`, budget.memoryGb && `${budget.memoryGb} GB`].filter(Boolean).join(', ');
  const onDevice = device ? `this device (${device})` : 'this device';
  const time = estimate
    ? `About ${(estimate.ms / 1000).toFixed(1)} s on ${onDevice}, from ${estimate.basedOn === 1 ? 'its last proof' : `its last ${estimate.basedOn} proofs`}.`
    : `No proof made on ${onDevice} yet: the first one also downloads the proving files (13 MB) once, and takes a few seconds on a laptop, longer on a phone.`;
  return budget.lowMemory ? `${time} Low memory: batches are proved one at a time.` : time;
}
