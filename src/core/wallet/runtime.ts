/**
 * Everything the Wallet screen needs at run time, behind one dynamic import so that none of it
 * (viem accounts, BIP-39 word list, wagmi, QR) weighs on the first screen.
 */
export { EmbeddedWallet } from './embedded.js';
export { createEmbeddedProvider } from './embeddedProvider.js';
export * from './wagmi.js';
export * from './chain.js';
export { guardStorage } from './guard.js';
export { IdleLock } from './autoLock.js';
export { passkeySupport, registerPasskey, evaluatePrf } from './passkey.js';
export { formatIotx } from './amount.js';
export { decodeCall, decodeTypedData, simulateCall } from '../signing/decode.js';
export { default as encodeQR } from 'qr';
