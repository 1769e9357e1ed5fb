/**
 * The chain side of the outbox's trust checks and escape hatch, behind one dynamic import: the
 * outbox loads it only when a batch needs checking on-chain or submitting, so the first screen
 * carries no chain client (tests/e2e/bundle-budget.e2e.ts).
 */
export { batchInboxAbi } from '../../core/abis/index.js';
export { createNetworkClient } from '../../core/rpc.js';
export { simulateCall } from '../../core/signing/decode.js';
export { directChain, readAnchoredBatch } from './chain.js';
export { planDirect, settleDirect } from './direct.js';
export { verifyAnchor } from '../../core/anchoring/verify.js';
