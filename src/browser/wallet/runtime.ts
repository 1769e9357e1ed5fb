/**
 * Everything the Wallet screen needs at run time, behind one dynamic import so that none of it
 * (viem accounts, BIP-39 word list, wagmi, QR) weighs on the first screen.
 */
export { EmbeddedWallet } from './embedded.js';
export { createEmbeddedProvider } from '../../core/wallet/embeddedProvider.js';
export * from './wagmi.js';
export * from './chain.js';
export { guardStorage } from './guard.js';
export { IdleLock } from '../../core/wallet/autoLock.js';
export { passkeySupport, registerPasskey, evaluatePrf } from './passkey.js';
export { formatIotx } from '../../core/wallet/amount.js';
export { rpcProbeError } from '../../core/rpcErrors.js';
export { decodeCall, decodeTypedData, simulateCall } from '../../core/signing/decode.js';
export { default as encodeQR } from 'qr';
export { findIncoming } from './incoming.js';
export { replaceTransaction } from './replace.js';
export { activeJobWallet } from './jobWallet.js';
