import { WALLET_ERRORS } from '../errorCodes.js';
import { OutpostError } from '../errors.js';

/** `bad-checksum` → `bad_checksum`: the reasons are kebab-case, the codes snake_case. */
type SnakeReason<R extends string> = R extends `${infer A}-${infer B}` ? `${A}_${SnakeReason<B>}` : R;

/** Errors of the embedded wallet and of sending; each names the problem and what to do. */
export class WalletError extends OutpostError {
  override name = 'WalletError';
}

export class WrongPasswordError extends WalletError {
  override name = 'WrongPasswordError';
  constructor() {
    super('wallet.wrong_password', 'That password does not unlock this wallet.', {
      hint: 'Check the password (it is case-sensitive) and try again.',
    });
  }
}

export class TamperedVaultError extends WalletError {
  override name = 'TamperedVaultError';
  constructor(details: string) {
    super('wallet.tampered', 'The stored wallet is damaged or was changed: its encrypted data does not verify.', {
      details,
      hint: 'Nothing was decrypted. Restore the wallet from your recovery phrase or keystore file.',
    });
  }
}

export class WeakPasswordError extends WalletError {
  override name = 'WeakPasswordError';
  constructor(minLength: number) {
    super('wallet.weak_password', `Choose a password of at least ${minLength} characters.`, {
      hint: 'A longer passphrase of several words is both stronger and easier to remember.',
    });
  }
}

export type MnemonicErrorReason = 'unknown-word' | 'bad-checksum' | 'wrong-length';

export class InvalidMnemonicError extends WalletError {
  override name = 'InvalidMnemonicError';
  readonly reason: MnemonicErrorReason;
  /** 1-based position of the offending word, for 'unknown-word'. */
  readonly wordPosition: number | null;
  constructor(reason: MnemonicErrorReason, shortMessage: string, wordPosition: number | null = null) {
    super(WALLET_ERRORS[`mnemonic_${reason.replaceAll('-', '_')}` as `mnemonic_${SnakeReason<MnemonicErrorReason>}`], shortMessage, {
      hint:
        reason === 'bad-checksum'
          ? 'Every word is valid but the last word does not match the others: a word is mistyped, swapped or missing.'
          : reason === 'unknown-word'
            ? `Check the spelling of word ${wordPosition} against your written backup.`
            : 'Enter the 12 or 24 words of your recovery phrase, separated by spaces.',
    });
    this.reason = reason;
    this.wordPosition = wordPosition;
  }
}

export class InvalidPrivateKeyError extends WalletError {
  override name = 'InvalidPrivateKeyError';
  constructor(details: string) {
    super('wallet.private_key_invalid', 'This is not a valid private key.', {
      details,
      hint: 'A private key is 64 hex digits, with or without a leading 0x.',
    });
  }
}

export class InvalidKeystoreError extends WalletError {
  override name = 'InvalidKeystoreError';
  constructor(details: string) {
    super('wallet.keystore_invalid', 'This file is not an Ethereum keystore (v3) Outpost can read.', {
      details,
      hint: 'Export the account again as a "keystore JSON" / "UTC--" file and import that.',
    });
  }
}

export class KeystorePasswordError extends WalletError {
  override name = 'KeystorePasswordError';
  constructor() {
    super('wallet.keystore_wrong_password', 'That password does not open this keystore file.', {
      hint: 'Use the password you chose when the keystore file was exported.',
    });
  }
}

export class NoWalletError extends WalletError {
  override name = 'NoWalletError';
  constructor() {
    super('wallet.none', 'There is no wallet on this device yet.', { hint: 'Create a new wallet or import one.' });
  }
}

export class WalletLockedError extends WalletError {
  override name = 'WalletLockedError';
  constructor() {
    super('wallet.locked', 'The wallet is locked.', { hint: 'Unlock it with your password or passkey.' });
  }
}

export type AmountErrorReason = 'empty' | 'not-a-number' | 'zero' | 'negative' | 'too-many-decimals';

export class InvalidAmountError extends WalletError {
  override name = 'InvalidAmountError';
  readonly reason: AmountErrorReason;
  constructor(reason: AmountErrorReason, shortMessage: string) {
    super(WALLET_ERRORS[`amount_${reason.replaceAll('-', '_')}` as `amount_${SnakeReason<AmountErrorReason>}`], shortMessage, { hint: 'Enter an amount of IOTX greater than zero, like 1.5.' });
    this.reason = reason;
  }
}

export class InsufficientFundsError extends WalletError {
  override name = 'InsufficientFundsError';
  readonly needed: bigint;
  readonly balance: bigint;
  constructor(shortMessage: string, needed: bigint, balance: bigint) {
    super('wallet.amount_above_balance', shortMessage, {
      hint: 'Send less, or add funds to this account first.',
    });
    this.needed = needed;
    this.balance = balance;
  }
}

export class PasskeyUnavailableError extends WalletError {
  override name = 'PasskeyUnavailableError';
  constructor(details: string) {
    super('wallet.passkey_unavailable', 'This browser or authenticator cannot unlock the wallet with a passkey.', {
      details,
      hint: 'Passkey unlock needs the WebAuthn PRF extension (recent Chrome, Safari 18, or Android). Use your password.',
    });
  }
}

export class PasskeyFailedError extends WalletError {
  override name = 'PasskeyFailedError';
  constructor(details: string) {
    super('wallet.passkey_failed', 'The passkey did not unlock the wallet.', {
      details,
      hint: 'Try again, or unlock with your password.',
    });
  }
}

export class FaucetUnavailableError extends WalletError {
  override name = 'FaucetUnavailableError';
  constructor(networkName: string) {
    super('wallet.faucet_unavailable', `The faucet only exists on the local devnet, not on ${networkName}.`, {
      hint: 'On IoTeX Testnet, use the public testnet faucet.',
    });
  }
}

export class WalletConnectNotConfiguredError extends WalletError {
  override name = 'WalletConnectNotConfiguredError';
  constructor() {
    super('wallet.walletconnect_no_project_id', 'WalletConnect is not set up in this build of Outpost: it has no project id.', {
      hint: 'Set VITE_WALLETCONNECT_PROJECT_ID when building the app, or use the built-in wallet or a browser wallet.',
    });
  }
}

export class SwitchChainRefusedError extends WalletError {
  override name = 'SwitchChainRefusedError';
  constructor(walletName: string, networkName: string, details: string) {
    super('wallet.switch_refused', `${walletName} did not switch to ${networkName}.`, {
      details,
      hint: `Switch to ${networkName} in ${walletName} yourself, or choose another network in Settings.`,
    });
  }
}

export class UserRejectedError extends WalletError {
  override name = 'UserRejectedError';
  constructor(what: string) {
    super('wallet.rejected', `You rejected ${what}.`, { hint: 'Nothing was signed or sent.' });
  }
}

export type ScanRefusalReason = 'not-address' | 'token-transfer';

/** A scanned QR code that does not name an IOTX recipient: what it holds, and what to scan instead. */
export class ScannedNotAddressError extends WalletError {
  override name = 'ScannedNotAddressError';
  readonly reason: ScanRefusalReason;
  constructor(reason: ScanRefusalReason, scanned: string) {
    super(
      reason === 'token-transfer' ? 'wallet.scan_token_transfer' : 'wallet.scan_not_address',
      reason === 'token-transfer'
        ? 'This QR code asks for a token transfer; Outpost sends only IOTX, so it cannot use it.'
        : 'This QR code does not hold an address.',
      {
        details: `Scanned text: ${scanned.length > 120 ? `${scanned.slice(0, 120)}…` : scanned}`,
        hint: 'Scan the receive code of an IoTeX or EVM wallet (io1… or 0x…), or type the address.',
      },
    );
    this.reason = reason;
  }
}

export type CameraErrorReason = 'denied' | 'not-found' | 'unavailable';

/** The camera could not be used for scanning; each reason names what the person can do about it. */
export class CameraError extends WalletError {
  override name = 'CameraError';
  readonly reason: CameraErrorReason;
  constructor(reason: CameraErrorReason, details: string) {
    const words = {
      denied: {
        code: 'wallet.camera_denied',
        message: 'Camera access was refused, so the QR code cannot be scanned.',
        hint: "Allow the camera for this site in the browser's site settings, or type or paste the address.",
      },
      'not-found': {
        code: 'wallet.camera_not_found',
        message: 'This device has no camera the browser can use.',
        hint: 'Type or paste the address instead.',
      },
      unavailable: {
        code: 'wallet.camera_unavailable',
        message: 'The camera could not be started.',
        hint: 'Close other apps using the camera (scanning also needs https), then try again, or type the address.',
      },
    } as const;
    const { code, message, hint } = words[reason];
    super(code, message, { details, hint });
    this.reason = reason;
  }
}
