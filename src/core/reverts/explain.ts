/**
 * What a revert means to the person who sent it, and what they can do. One table for both
 * sides: IoTeX's contracts (SystemStaking V3 `Err*`, OpenZeppelin 4 and ioID revert strings, MSP)
 * and ours (custom errors, OpenZeppelin 5), so a screen reads the same on devnet, testnet and
 * mainnet. Anything not in the table still gets a message naming the contract's own words.
 */
import { OutpostError } from '../errors.js';
import { findRevert, formatRevert, type DecodedRevert } from './decode.js';

export type RevertExplanation = { message: string; hint: string };

const TOKEN_MISSING: RevertExplanation = {
  message: 'That token does not exist on this chain (it may have been withdrawn, merged or never minted).',
  hint: 'Refresh to read the current state from the chain, and check you are on the right network.',
};
const NOT_OWNER: RevertExplanation = {
  message: 'The connected account does not own this (or is not approved for it).',
  hint: 'Switch to the account that owns it, or ask the owner to approve this account.',
};
const PAUSED: RevertExplanation = { message: 'The contract is paused by its owner.', hint: 'Nothing was changed. Try again once it is unpaused.' };
const NOT_ADMIN: RevertExplanation = { message: 'Only the contract’s owner or admin may do this.', hint: 'Use the owner’s account.' };
const BAD_DURATION: RevertExplanation = {
  message: 'The staking duration is not allowed: it must be a whole number of days, at most 1,095 days, and not shorter than the time the bucket still has to run.',
  hint: 'Pick a duration in whole days within that range.',
};
const NOT_READY: RevertExplanation = {
  message: 'It is too early: the bucket’s lock or unstake freeze has not run out yet.',
  hint: 'Check the time left on the bucket and try again after it.',
};

/** By custom error name. */
const BY_ERROR: Readonly<Record<string, RevertExplanation>> = {
  // SystemStaking V3 (IoTeX) — ours declares the same errors.
  ErrInvalidAmount: { message: 'The amount is not allowed: below the minimum stake, or not matching the value sent.', hint: 'Check the minimum (MIN_AMOUNT) and that the value sent equals amount × buckets.' },
  ErrInvalidDuration: BAD_DURATION,
  ErrInvalidParameter: { message: 'The request is not valid for this bucket (for example merging fewer than two buckets, or changing to the same delegate).', hint: 'Check the selection and try again.' },
  ErrInvalidBucket: TOKEN_MISSING,
  ErrNotUnstakedBucket: { message: 'The bucket has not been unstaked, so it cannot be withdrawn yet.', hint: 'Unlock it, wait for its duration, unstake it, then withdraw after the freeze.' },
  ErrNotOwner: NOT_OWNER,
  ErrNotReady: NOT_READY,
  ErrNotLockedBucket: { message: 'The bucket is not locked.', hint: 'Lock it first (or pick a locked bucket).' },
  ErrNotStakedBucket: { message: 'The bucket is already unstaked.', hint: 'An unstaked bucket can only be withdrawn after its freeze.' },
  ErrTransferFailed: { message: 'The chain could not send the IOTX to the recipient.', hint: 'Withdraw to an address that can receive IOTX (a plain account).' },
  // OpenZeppelin 5 (ours) — OpenZeppelin 4 says the same with strings, below.
  ERC721NonexistentToken: TOKEN_MISSING,
  ERC721InsufficientApproval: NOT_OWNER,
  ERC721IncorrectOwner: NOT_OWNER,
  ERC721InvalidReceiver: { message: 'The receiving address cannot hold this NFT (a contract without onERC721Received).', hint: 'Send it to a wallet account or a contract made to receive NFTs.' },
  OwnableUnauthorizedAccount: NOT_ADMIN,
  AccessControlUnauthorizedAccount: NOT_ADMIN,
  EnforcedPause: PAUSED,
  ReentrancyGuardReentrantCall: { message: 'The contract refused a re-entrant call.', hint: 'Send the transaction again on its own.' },
  // Our anchoring and rewards extensions.
  EpochAlreadySubmitted: { message: 'A batch of this device for this epoch is already on-chain.', hint: 'Nothing to do: the chain takes one direct batch per device and epoch.' },
  InvalidWindow: { message: 'The chain does not accept this batch’s time window: it must lie inside one epoch and have ended.', hint: 'If the window has not ended yet, wait; otherwise prove the readings again.' },
  DeviceNotRegistered: { message: 'The device has no ioID on-chain.', hint: 'Give the device an ioID on-chain (ioIDRegistry.register), then try again.' },
  InvalidDeviceSignature: { message: 'The device’s signature does not check out on-chain.', hint: 'Have the device sign again.' },
  InvalidProof: { message: 'The zero-knowledge proof does not verify on-chain.', hint: 'Prove again with this version of the app.' },
  BatchAlreadyAnchored: { message: 'This batch is already anchored.', hint: 'Nothing to do.' },
  ModuleUnderstaked: { message: 'The module has too little restaked behind it to anchor.', hint: 'Restake a bucket into the module, then try again.' },
  AlreadyClaimed: { message: 'This reward has already been claimed.', hint: 'Nothing to do: check the wallet history for the claim.' },
  ClaimWindowClosed: { message: 'The claim window for this epoch has closed.', hint: 'Rewards of a closed epoch can no longer be claimed.' },
  InvalidRewardProof: { message: 'The reward proof does not match the root on-chain.', hint: 'Fetch the reward proof again from the relay.' },
};

/** By revert string: OpenZeppelin 4 (IoTeX's SystemStaking V3, ioID, MSP) and ioID's `require`s. */
const BY_REASON: Readonly<Record<string, RevertExplanation>> = {
  'ERC721: invalid token ID': TOKEN_MISSING,
  'ERC721: caller is not token owner or approved': NOT_OWNER,
  'ERC721: transfer from incorrect owner': NOT_OWNER,
  'ERC721: approve caller is not token owner or approved for all': NOT_OWNER,
  'ERC721: transfer to non ERC721Receiver implementer': BY_ERROR.ERC721InvalidReceiver!,
  'Ownable: caller is not the owner': NOT_ADMIN,
  'Pausable: paused': PAUSED,
  'ReentrancyGuard: reentrant call': BY_ERROR.ReentrancyGuardReentrantCall!,
};

const PANIC: RevertExplanation = { message: 'The contract failed an internal check (a Solidity panic).', hint: 'This is a bug in the contract or an impossible input; nothing was changed.' };

/** `extra`: a feature's own wording for reverts it expects (it wins over the shared tables). */
export function explainRevert(revert: DecodedRevert, extra: Readonly<Record<string, RevertExplanation>> = {}): RevertExplanation {
  const key = revert.kind === 'error' ? revert.name : revert.kind === 'reason' ? revert.reason : null;
  const known = key === null ? undefined : (extra[key] ?? (revert.kind === 'error' ? BY_ERROR[key] : BY_REASON[key]));
  if (known) return known;
  if (revert.kind === 'panic') return PANIC;
  return {
    message: revert.kind === 'unknown' ? 'The contract refused the transaction without saying why.' : `The contract refused the transaction: ${formatRevert(revert)}.`,
    hint: 'Nothing was changed. Check the inputs and the network, then try again.',
  };
}

/**
 * A transaction or call the chain refused, with the decoded revert: `shortMessage` and `hint` are
 * for the screen, `details` names the contract's own words (`ErrNotReady()`, `"device not exists"`).
 */
export class ContractRevertError extends OutpostError {
  override name = 'ContractRevertError';
  readonly revert: DecodedRevert;

  constructor(revert: DecodedRevert, options: { cause?: unknown; action?: string } = {}) {
    const { message, hint } = explainRevert(revert);
    super('chain.reverted', options.action ? `${options.action}: ${message}` : message, { hint, details: formatRevert(revert), cause: options.cause });
    this.revert = revert;
  }
}

/** Turns a thrown revert into a ContractRevertError; anything else is returned unchanged. */
export function asContractRevert(error: unknown, action?: string): unknown {
  const revert = findRevert(error);
  return revert ? new ContractRevertError(revert, { cause: error, ...(action ? { action } : {}) }) : error;
}
