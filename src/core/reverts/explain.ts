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
  ERC721InvalidApprover: NOT_OWNER,
  ERC721InvalidOwner: { message: 'The zero address cannot own tokens.', hint: 'Check the address.' },
  OwnableUnauthorizedAccount: NOT_ADMIN,
  OwnableInvalidOwner: { message: 'The new owner cannot be the zero address.', hint: 'Check the address.' },
  ExpectedPause: { message: 'The contract is not paused.', hint: 'Nothing to unpause.' },
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
  'ERC721: address zero is not a valid owner': BY_ERROR.ERC721InvalidOwner!,
  'ERC721: transfer to the zero address': BY_ERROR.ERC721InvalidReceiver!,
  'Ownable: caller is not the owner': NOT_ADMIN,
  'Ownable: new owner is the zero address': BY_ERROR.OwnableInvalidOwner!,
  'Pausable: not paused': BY_ERROR.ExpectedPause!,
  'Pausable: paused': PAUSED,
  'ReentrancyGuard: reentrant call': BY_ERROR.ReentrancyGuardReentrantCall!,
  // ioID (IoTeX's require strings; ours revert with the same ones).
  'device exists': { message: 'This device already has an ioID.', hint: 'Nothing to do: open it under Devices. To move it to another owner, migrate it instead.' },
  'nft already used': { message: 'This device NFT already backs an ioID (an NFT stays used even after its ioID is removed).', hint: 'Use a new device NFT of the project for this device.' },
  'device not exists': { message: 'The device has no ioID on this network.', hint: 'Give the device an ioID first (ioIDRegistry.register), or check you are on the right network.' },
  'device is the zero address': { message: 'No device address was given.', hint: 'Pair the device again so the app reads its address.' },
  'invalid project': { message: 'The device NFT’s contract is not bound to an ioID project.', hint: 'The project owner must bind its device NFT contract (ioIDStore.setDeviceContract) first.' },
  'invalid signature': { message: 'The device’s signature does not match this owner and nonce.', hint: 'Have the device sign the permit again (the nonce may have moved on), from the account that will own the ioID.' },
  'empty hash': { message: 'The DID document hash is empty.', hint: 'Have the device send its DID document again.' },
  'insufficient ioID': { message: 'The project has used up its prepaid ioIDs.', hint: 'The project owner must buy more (ioIDStore.applyIoIDs) before another device can register.' },
  'insufficient fund': { message: 'Not enough IOTX was sent for the ioID fee.', hint: 'Send at least ioIDStore.price() per ioID.' },
  'only hardware project': { message: 'Only hardware projects buy ioIDs in advance.', hint: 'A virtual project pays price() with each registration instead.' },
  'not ioID owner': { message: 'The connected account does not own this ioID.', hint: 'Switch to the ioID’s owner.' },
  'wallet not exist': { message: 'This ioID has no token-bound wallet.', hint: 'Check the ioID id and the network.' },
  'exist name': { message: 'A project with this name already exists.', hint: 'Pick another name.' },
  'empty name': { message: 'The project name is empty.', hint: 'Give the project a name.' },
  'invalid owner': { message: 'Only the project’s owner may do this.', hint: 'Switch to the project owner’s account.' },
  'invalid operator': { message: 'Only the project’s owner or an operator may do this.', hint: 'Switch accounts, or ask the owner to add this account as an operator.' },
  'already operator': { message: 'That account is already an operator of the project.', hint: 'Nothing to do.' },
  'not operator': { message: 'That account is not an operator of the project.', hint: 'Nothing to remove.' },
  'invald project owner': { message: 'Only the project’s owner may do this.', hint: 'Switch to the project owner’s account.' },
  'project setted': { message: 'The project already has a device NFT contract.', hint: 'Change it with changeDeviceContract instead.' },
  'contract setted': { message: 'That device NFT contract already belongs to a project.', hint: 'Use a contract no project uses yet.' },
  'ERC721: mint to the zero address': { message: 'No owner address was given.', hint: 'Check the owner address.' },
  // MSP restaking (IoTeX's require strings; ours revert with the same ones).
  'not owner': NOT_OWNER,
  'not locking bucket': { message: 'Only a locked bucket can be restaked.', hint: 'Lock the bucket first (Staking → the bucket → Lock), then restake it.' },
  'not staking bucket': { message: 'That bucket is not restaked.', hint: 'Refresh: it may already have been unstaked or withdrawn.' },
  'not staker': { message: 'The connected account did not restake this bucket.', hint: 'Switch to the account that restaked it.' },
  'not unstake bucket': { message: 'The bucket has not been unstaked from restaking yet.', hint: 'Unstake it first; it can be withdrawn after the 7-day freeze.' },
  'withdraw freeze': { message: 'The bucket is still in its 7-day freeze after unstaking.', hint: 'Withdraw it after the freeze ends (the bucket shows when).' },
  'zero amount': { message: 'The amount is zero.', hint: 'Enter an amount above zero.' },
  'invalid bucket amount': { message: 'The bucket’s amount has not grown, so there is nothing to update.', hint: 'Nothing to do.' },
  'claimed': { message: 'This reward has already been claimed.', hint: 'Nothing to do: check the wallet history for the claim.' },
  'invalid proof': { message: 'The reward proof does not match the approved root.', hint: 'Fetch the reward proof again.' },
  'invalid batch': { message: 'That reward batch has no approved root yet.', hint: 'Try again once the batch is approved.' },
  'not distributable': { message: 'Rewards cannot be distributed right now (nothing is restaked in any strategy).', hint: 'Try again once something is restaked.' },
  'unsupport token': { message: 'That token is not a reward token of the restaking pool.', hint: 'Distribute IOTX or a listed reward token.' },
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
