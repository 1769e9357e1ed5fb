import { isAddressEqual, type Address, type Hex, type PublicClient } from 'viem';
import type { JobCall } from '../jobs/index.js';
import { IoidDeviceHooksMissingError, IoidDeviceUnreachableError, IoidWrongNetworkError } from './errors.js';
import { decodeIoidPermit, verifyIoidPermitSignature, type DecodedIoidPermit, type DevicePermitSigner, type IoidPermit, type IoidPermitAction, type VerifiedIoidPermit } from './permit.js';

/**
 * What every ioID job that needs the device's consent shares (register, update, remove, migrate):
 * the device is asked for its Permit when the step's call is built, and the signed call is kept for
 * that nonce and owner, so the runner's simulation, a batch or a revert replay never asks the device
 * twice; a new nonce (another action consumed one) asks again.
 */

/** What the app gives a job for the device: its key (over the device link) and the screen's hook. */
export type IoidDeviceHooks = {
  signer: DevicePermitSigner;
  /** Shown before the device is asked; resolving lets the device be asked, rejecting pauses the job. */
  showPermit?: (permit: DecodedIoidPermit) => Promise<void> | void;
  /** Other accounts of the wallet, so a permit signed for one of them is named as such. */
  otherOwners?: readonly Address[];
  /** The job's abort signal (the one given to runJob), passed to the device so a pause stops the request. */
  signal?: AbortSignal;
};

/** Every ioID job checks the client's chain before it reads or sends. */
export async function assertIoidNetwork(client: PublicClient, chainId: number): Promise<void> {
  const actual = await client.getChainId();
  if (actual !== chainId) throw new IoidWrongNetworkError(actual, chainId);
}

export type DevicePermitRequest<Prepared> = {
  /** `nonces(device)`, read by the caller from the chain when the step's call is built. */
  nonce: bigint;
  /** The Permit's owner: the caller for register/update/remove, the new owner for migrate. */
  owner: Address;
  action: IoidPermitAction;
  /** More accounts a wrong signature is tried against (with the hooks' own), so it is named. */
  otherOwners?: readonly Address[];
  /** Checks and reads done only when the device is about to be asked (not for a kept call). */
  prepare: () => Promise<Prepared>;
  build: (signature: VerifiedIoidPermit, prepared: Prepared) => JobCall;
};

/**
 * One device's signed calls for one job: read nonce (the caller) → show the permit → ask the device
 * → verify the signature → keep the signed call for that nonce and owner. `hooks` null (a job rebuilt
 * after a reload with no device connected) fails only when the device must actually be asked, so a
 * step that already landed needs no device.
 */
export function devicePermitCalls(ctx: { chainId: number; registry: Address; device: Address }, hooks: IoidDeviceHooks | null) {
  let kept: { nonce: bigint; owner: Address; call: JobCall } | null = null;
  return async function signedCall<Prepared>(request: DevicePermitRequest<Prepared>): Promise<JobCall> {
    if (kept && kept.nonce === request.nonce && isAddressEqual(kept.owner, request.owner)) return kept.call;
    const prepared = await request.prepare();
    if (!hooks) throw new IoidDeviceHooksMissingError(ctx.device);

    const permit: IoidPermit = { chainId: ctx.chainId, registry: ctx.registry, device: ctx.device, owner: request.owner, nonce: request.nonce };
    const decoded = decodeIoidPermit(permit, request.action);
    await hooks.showPermit?.(decoded);
    let signature: Hex;
    try {
      signature = await hooks.signer.signDigest(decoded.digest, hooks.signal);
    } catch (error) {
      // An abort is the runner's to handle (pause or cancel); anything else the device layer
      // throws (link lost, timeout, asleep) pauses the job as unreachable, its cause kept for the screen.
      if (hooks.signal?.aborted) throw hooks.signal.reason;
      throw new IoidDeviceUnreachableError(error);
    }
    const otherOwners = [...(hooks.otherOwners ?? []), ...(request.otherOwners ?? [])];
    const verified = await verifyIoidPermitSignature(permit, signature, { otherOwners });
    const call = request.build(verified, prepared);
    kept = { nonce: request.nonce, owner: request.owner, call };
    return call;
  };
}
