import { OutpostError, type OutpostErrorOptions } from '../errors.js';

type RewardsErrorCode = 'rewards.job_invalid' | 'rewards.no_contract' | 'rewards.nothing_to_claim' | 'rewards.read_failed' | 'rewards.relay_bad_answer' | 'rewards.relay_unreachable';

/** Every failure of src/core/rewards: `rewards.*` codes (src/core/errorCodes.ts), each with a hint. */
export class RewardsError extends OutpostError {
  override name = 'RewardsError';
  constructor(code: RewardsErrorCode, shortMessage: string, options: OutpostErrorOptions & { hint: string }) {
    super(code, shortMessage, options);
  }
}

/** A chain read that failed underneath (RPC down, a contract missing), named for the screen. */
export function readFailed(what: string, cause: unknown): RewardsError {
  if (cause instanceof RewardsError) return cause;
  return new RewardsError('rewards.read_failed', `Outpost could not read ${what} from the network.`, { hint: 'Check the connection and try again.', cause });
}
