export { decodeRevertData, findRevert, formatRevert,  } from './decode.js';
export { asContractRevert, ContractRevertError, explainRevert,  } from './explain.js';
;
