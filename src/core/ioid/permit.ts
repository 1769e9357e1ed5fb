import { getAddress, hashTypedData, hexToBigInt, isAddressEqual, isHex, recoverAddress, size, slice, type Address, type Hex } from 'viem';
import { IoidError, IoidPermitMismatchError } from './errors.js';

/**
 * The device's consent to an ioID action: IoTeX's ioIDRegistry EIP-712 `Permit(address owner,uint256 nonce)`
 * in the domain {name "ioIDRegistry", version "1", chainId, verifyingContract = the registry}. For
 * `register` the owner is the future ioID owner and the nonce is `nonces(device)` read when the
 * device is asked (every register, update, remove and migrate consumes one). The signature does not
 * cover the NFT, document hash or URI (docs/contracts.md, "Device signature").
 */
export type IoidPermit = { chainId: number; registry: Address; device: Address; owner: Address; nonce: bigint };

const PERMIT_TYPES = { Permit: [{ name: 'owner', type: 'address' }, { name: 'nonce', type: 'uint256' }] } as const;

/** The typed data a wallet-style signer would sign (the device signs its digest). */
export function ioidPermitTypedData(permit: IoidPermit) {
  return {
    domain: { name: 'ioIDRegistry', version: '1', chainId: permit.chainId, verifyingContract: permit.registry },
    types: PERMIT_TYPES,
    primaryType: 'Permit',
    message: { owner: permit.owner, nonce: permit.nonce },
  } as const;
}

/** The 32-byte EIP-712 digest the device signs (`signDigest`). */
export function ioidPermitDigest(permit: IoidPermit): Hex {
  return hashTypedData(ioidPermitTypedData(permit));
}

/** "0xab12…cdef": an address as titles, labels and permit sentences show it. */
export const shortAddress = (address: Address) => `${address.slice(0, 6)}…${address.slice(-4)}`;
const short = shortAddress;

/** What the registry call the permit allows does; the permit itself does not say (it covers only owner and nonce). */
export type IoidPermitAction = 'register' | 'update' | 'remove' | 'migrate';

const ALLOWS: Record<IoidPermitAction, string> = {
  register: 'to register it',
  update: 'to update its DID document',
  remove: 'to remove its ioID',
  migrate: 'to take over its ioID',
};

/** The permit as the screen shows it before the device is asked. */
export type DecodedIoidPermit = IoidPermit & { digest: Hex; text: string; action: IoidPermitAction };

export function decodeIoidPermit(permit: IoidPermit, action: IoidPermitAction = 'register'): DecodedIoidPermit {
  return {
    ...permit,
    digest: ioidPermitDigest(permit),
    action,
    text: `Device ${short(permit.device)} allows ${short(permit.owner)} ${ALLOWS[action]}; nonce ${permit.nonce}`,
  };
}

/** What `register` takes from a verified signature. */
export type VerifiedIoidPermit = { v: 27 | 28; r: Hex; s: Hex; signer: Address };

const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
/** How many earlier nonces are tried to name a stale permit (a device is rarely more than a few actions behind). */
const STALE_NONCES_TRIED = 8n;

async function recovers(digest: Hex, r: Hex, s: Hex, v: 27 | 28, device: Address): Promise<boolean> {
  try {
    return isAddressEqual(await recoverAddress({ hash: digest, signature: { r, s, v: BigInt(v) } }), device);
  } catch {
    return false;
  }
}

/**
 * Checks a device's signature of `permit` and returns the v, r, s to send. A 65-byte signature
 * (r‖s‖v, v 0/1 or 27/28) is taken as is; a 64-byte one (ioConnect mode: r‖s only) gets v = 27 or
 * 28, whichever recovers the device. High-s is refused even though the registry's plain `ecrecover`
 * accepts it: a device that sends one is misbehaving, and the Outpost protocol promises low-s.
 * A signature that does not recover the device for this permit is named by what it does match:
 * the same owner with an earlier nonce (stale), one of `otherOwners` (signed for another owner), or
 * nothing we can name (another key, or another permit altogether).
 */
export async function verifyIoidPermitSignature(
  permit: IoidPermit,
  signature: Hex,
  options: { otherOwners?: readonly Address[] } = {},
): Promise<VerifiedIoidPermit> {
  if (!isHex(signature) || (size(signature) !== 64 && size(signature) !== 65)) {
    throw new IoidError('ioid.signature_length', 'The device’s permit signature is neither 65 bytes (r‖s‖v) nor 64 (r‖s).', {
      details: isHex(signature) ? `${size(signature)} bytes` : 'not hex',
      hint: 'Ask the device to sign again; if it keeps happening, its firmware does not speak this protocol.',
    });
  }
  const r = slice(signature, 0, 32);
  const s = slice(signature, 32, 64);
  if (hexToBigInt(s) > HALF_N) {
    throw new IoidError('ioid.signature_high_s', 'The device sent a non-canonical (high-s) permit signature.', {
      hint: 'Update the device firmware: signatures must be low-s (EIP-2).',
    });
  }
  const given = size(signature) === 65 ? Number(hexToBigInt(slice(signature, 64, 65))) : null;
  if (given !== null && ![0, 1, 27, 28].includes(given)) {
    throw new IoidError('ioid.signature_length', `The device’s permit signature ends in v = ${given}; only 0, 1, 27 or 28 recover.`, {
      hint: 'Ask the device to sign again; if it keeps happening, its firmware does not speak this protocol.',
    });
  }
  const candidates: (27 | 28)[] = given === null ? [27, 28] : [given < 27 ? ((given + 27) as 27 | 28) : (given as 27 | 28)];
  const matches = async (candidate: IoidPermit) => {
    const digest = ioidPermitDigest(candidate);
    for (const v of candidates) if (await recovers(digest, r, s, v, candidate.device)) return v;
    return null;
  };

  const v = await matches(permit);
  if (v !== null) return { v, r, s, signer: getAddress(permit.device) };

  for (let nonce = permit.nonce - 1n; nonce >= 0n && nonce >= permit.nonce - STALE_NONCES_TRIED; nonce--) {
    if ((await matches({ ...permit, nonce })) !== null) {
      throw new IoidPermitMismatchError('ioid.permit_stale', `The device signed an old permit (nonce ${nonce}); the registry now expects nonce ${permit.nonce}.`, {
        hint: 'Ask the device to sign again: the new request carries the current nonce.',
      });
    }
  }
  for (const owner of options.otherOwners ?? []) {
    if (isAddressEqual(owner, permit.owner)) continue;
    if ((await matches({ ...permit, owner })) !== null) {
      throw new IoidPermitMismatchError('ioid.permit_other_owner', `The device signed a permit for ${owner}, not for ${permit.owner}, the account it was asked for.`, {
        hint: 'Use the account the device signed for, or ask the device to sign again for this account.',
      });
    }
  }
  throw new IoidPermitMismatchError('ioid.permit_other_signer', `The permit signature is not device ${permit.device}’s signature of this permit.`, {
    details: 'it recovers another key for this owner and nonce',
    hint: 'Make sure the connected device is the one this ioID is for, then ask it to sign again.',
  });
}

/** The device key as the journey needs it; the app implements it over the device link. */
export type DevicePermitSigner = {
  address: Address;
  /** Signs the 32-byte digest; 65 bytes (r‖s‖v) or 64 (ioConnect: r‖s). Rejects when the device cannot be reached. */
  signDigest(digest: Hex, signal?: AbortSignal): Promise<Hex>;
};
