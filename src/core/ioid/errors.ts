import type { Address } from 'viem';
import { OutpostError, type OutpostErrorCode, type OutpostErrorOptions } from '../errors.js';

/**
 * The ioID journey's named errors (codes `ioid.*`). Each says what failed and what to do; the
 * ones a screen needs more from carry it (the existing ioID, the permit that was signed).
 */
export class IoidError extends OutpostError {
  override name = 'IoidError';
  constructor(code: OutpostErrorCode & `ioid.${string}`, shortMessage: string, options: OutpostErrorOptions = {}) {
    super(code, shortMessage, options);
  }
}

/** The device already has an ioID: the screen shows it instead of minting another. */
export class IoidAlreadyRegisteredError extends IoidError {
  override name = 'IoidAlreadyRegisteredError';
  constructor(
    readonly device: Address,
    readonly ioidTokenId: bigint,
    readonly owner: Address,
  ) {
    super('ioid.already_registered', `This device already has ioID #${ioidTokenId}, owned by ${owner}.`, {
      hint: 'Nothing to mint: open it under My devices. To give it to another owner, migrate it instead.',
    });
  }
}

/** The device's signature is for another owner or nonce than the one about to be registered. */
export class IoidPermitMismatchError extends IoidError {
  override name = 'IoidPermitMismatchError';
}

/**
 * The device could not be asked (asleep, out of range, link dropped). Not a failure of the job:
 * the runner pauses on it, and a resume asks the device again.
 */
export class IoidDeviceUnreachableError extends IoidError {
  override name = 'IoidDeviceUnreachableError';
  constructor(cause: unknown) {
    super('ioid.device_unreachable', 'The device did not sign the permit: it is asleep, out of range, or the link dropped.', {
      hint: 'Wake the device and bring it close, reconnect it, then resume: the device is asked again.',
      cause,
    });
  }
}

/** The client is on another chain than the job's (every ioID job checks before it reads or sends). */
export class IoidWrongNetworkError extends IoidError {
  override name = 'IoidWrongNetworkError';
  constructor(
    readonly actualChainId: number,
    readonly expectedChainId: number,
  ) {
    super('ioid.wrong_network', `The wallet is on chain ${actualChainId}, but this ioID is on chain ${expectedChainId}.`, {
      hint: 'Switch the wallet to the network shown in the journey, then resume.',
    });
  }
}

/** Managing an ioID: the device has none (never registered, or removed). */
export class IoidNotRegisteredError extends IoidError {
  override name = 'IoidNotRegisteredError';
  constructor(readonly device: Address) {
    super('ioid.not_registered', `Device ${device} has no ioID on this network.`, {
      hint: 'Nothing to manage: mint its ioID first, or check that the wallet is on the network the device was registered on.',
    });
  }
}

/** Managing an ioID: the account is not its owner, so it may not act on it (the owner is named). */
export class IoidNotOwnerError extends IoidError {
  override name = 'IoidNotOwnerError';
  constructor(
    readonly device: Address,
    readonly ioidTokenId: bigint,
    readonly owner: Address,
  ) {
    super('ioid.not_owner', `ioID #${ioidTokenId} of device ${device} is owned by ${owner}, not by this account.`, {
      hint: `Switch to the account ${owner} in the wallet, or ask its owner to do this.`,
    });
  }
}

/** Managing an ioID: the recipient of a migrate, transfer or NFT withdrawal cannot take it. */
export class IoidBadRecipientError extends IoidError {
  override name = 'IoidBadRecipientError';
  constructor(
    readonly recipient: Address,
    readonly reason: 'zero-address' | 'self' | 'own-wallet',
  ) {
    const why = {
      'zero-address': 'is the zero address: whatever is sent there is lost',
      self: 'already holds it',
      'own-wallet': 'is the ioID’s own wallet: the ioID would control itself and be locked forever',
    }[reason];
    super('ioid.bad_recipient', `The recipient ${recipient} ${why}.`, { hint: 'Enter the address of the account that should receive it.' });
  }
}

/** An action the device must sign for was started without the device's hooks (its signer over the device link). */
export class IoidDeviceHooksMissingError extends IoidError {
  override name = 'IoidDeviceHooksMissingError';
  constructor(readonly device: Address) {
    super('ioid.device_hooks_missing', `Device ${device} must sign this change, but it is not connected.`, {
      hint: 'Connect the device, then start again (or resume): the device is asked to sign its permit.',
    });
  }
}

/** The connected device is not the one whose ioID is managed: its signature would be refused. */
export class IoidSignerMismatchError extends IoidError {
  override name = 'IoidSignerMismatchError';
  constructor(
    readonly device: Address,
    readonly signer: Address,
  ) {
    super('ioid.signer_not_device', `The connected device is ${signer}, not ${device}, whose ioID this is.`, {
      hint: 'Connect the device this ioID belongs to, then start again.',
    });
  }
}

/** Withdrawing the device NFT: the ioID's wallet holds no NFT of the project's device contract (or it was not found in the logs searched). */
export class IoidNftNotInWalletError extends IoidError {
  override name = 'IoidNftNotInWalletError';
  constructor(
    readonly device: Address,
    readonly wallet: Address,
  ) {
    super('ioid.nft_not_in_wallet', `The ioID wallet ${wallet} of device ${device} holds no device NFT that could be found.`, {
      hint: 'It may have been taken out already (check the device NFT’s owner); on IoTeX networks, start again with a start block before the device was registered.',
    });
  }
}
