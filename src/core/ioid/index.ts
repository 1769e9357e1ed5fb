/** The ioID mint journey's core (docs/ioid.md): reads, the device's Permit, and the mint job. */
export { IoidAlreadyRegisteredError } from './errors.js';
export { decodeIoidPermit, ioidPermitDigest, ioidPermitTypedData, verifyIoidPermitSignature } from './permit.js';
export type { DecodedIoidPermit, DevicePermitSigner, IoidPermit } from './permit.js';
export { readDeviceIoid, readIoidProject, readRegistryApproval } from './reads.js';
export type { IoidContracts } from './reads.js';
export { ioidMintJob, ioidPromptCount, readIoidPromptCount, rebuildIoidJob } from './mintJob.js';
export type { IoidJobContext } from './mintJob.js';
export type { IoidDeviceHooks } from './devicePermit.js';
export { IOID_MANAGE_JOB_KIND, ioidManageJob, ioidManageNeedsDevice, rebuildIoidManageJob } from './manageJobs.js';
export type { IoidManageAction } from './manageJobs.js';
