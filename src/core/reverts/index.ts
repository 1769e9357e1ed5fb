export { decodeRevertData, findRevert, formatRevert, type DecodedRevert } from './decode.js';
export { asContractRevert, ContractRevertError, explainRevert, type RevertExplanation } from './explain.js';
export { KNOWN_ERRORS_ABI, SYSTEM_STAKING_V3_ERRORS } from './knownErrors.js';
