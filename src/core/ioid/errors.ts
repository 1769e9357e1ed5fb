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
