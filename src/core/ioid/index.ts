/** The ioID mint journey's core (docs/ioid.md): reads, the device's Permit, and the mint job. */
export { IoidAlreadyRegisteredError, IoidDeviceUnreachableError, IoidError, IoidPermitMismatchError } from './errors.js';
export { decodeIoidPermit, ioidPermitDigest, ioidPermitTypedData, verifyIoidPermitSignature } from './permit.js';
export type { DecodedIoidPermit, DevicePermitSigner, IoidPermit, VerifiedIoidPermit } from './permit.js';
export { readDeviceIoid, readHeldTokens, readIoidProject, readNftRegistered, readRegistryApproval } from './reads.js';
export type { DeviceIoidStatus, IoidContracts, IoidProjectKind, IoidProjectState } from './reads.js';
export { IOID_JOB_KIND, ioidMintJob, ioidPromptCount, readIoidPromptCount, rebuildIoidJob } from './mintJob.js';
export type { IoidDeviceHooks, IoidJobContext, IoidJobParams, IoidMintInput } from './mintJob.js';
