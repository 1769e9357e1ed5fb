import { fromHex, randomBytes, toHex } from '../../core/wallet/bytes.js';
import { PasskeyFailedError, PasskeyUnavailableError } from '../../core/wallet/errors.js';

/**
 * Passkey unlock through the WebAuthn PRF extension: the authenticator returns a secret derived
 * from a salt we keep, which (via HKDF in vault.ts) wraps the same vault key as the password.
 */
export async function passkeySupport(): Promise<'yes' | 'no' | 'unknown'> {
  if (typeof PublicKeyCredential === 'undefined' || !navigator.credentials) return 'no';
  const withCaps = PublicKeyCredential as unknown as { getClientCapabilities?: () => Promise<Record<string, boolean>> };
  if (!withCaps.getClientCapabilities) return 'unknown';
  try {
    const caps = await withCaps.getClientCapabilities();
    return caps['extension:prf'] === true ? 'yes' : caps['extension:prf'] === false ? 'no' : 'unknown';
  } catch {
    return 'unknown';
  }
}

type PrfResults = { prf?: { enabled?: boolean; results?: { first?: ArrayBuffer } } };

/** Registers a passkey for this wallet and evaluates its PRF once; returns what vault.ts needs. */
export async function registerPasskey(walletAddress: string): Promise<{ credentialId: string; prfSalt: Uint8Array; prfOutput: Uint8Array }> {
  const prfSalt = randomBytes(32);
  let credential: PublicKeyCredential | null;
  try {
    credential = (await navigator.credentials.create({
      publicKey: {
        rp: { name: 'Outpost', id: location.hostname },
        user: { id: randomBytes(16), name: `Outpost wallet ${walletAddress.slice(0, 10)}`, displayName: 'Outpost wallet' },
        challenge: randomBytes(32),
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        extensions: { prf: { eval: { first: prfSalt } } } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential | null;
  } catch (error) {
    throw new PasskeyFailedError(error instanceof Error ? error.message : String(error));
  }
  if (!credential) throw new PasskeyFailedError('no credential was created');
  const results = credential.getClientExtensionResults() as PrfResults;
  if (!results.prf?.enabled && !results.prf?.results?.first) throw new PasskeyUnavailableError('the authenticator does not support PRF');
  const credentialId = toHex(new Uint8Array(credential.rawId));
  const prfOutput = results.prf.results?.first ? new Uint8Array(results.prf.results.first) : await evaluatePrf(credentialId, prfSalt);
  return { credentialId, prfSalt, prfOutput };
}

/** Asks the passkey for its PRF output on our salt (a user-verified WebAuthn get). */
export async function evaluatePrf(credentialId: string, prfSalt: Uint8Array | string): Promise<Uint8Array> {
  const salt = typeof prfSalt === 'string' ? fromHex(prfSalt) : new Uint8Array(prfSalt);
  let assertion: PublicKeyCredential | null;
  try {
    assertion = (await navigator.credentials.get({
      publicKey: {
        challenge: randomBytes(32),
        allowCredentials: [{ type: 'public-key', id: fromHex(credentialId) }],
        userVerification: 'required',
        extensions: { prf: { eval: { first: salt } } } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential | null;
  } catch (error) {
    throw new PasskeyFailedError(error instanceof Error ? error.message : String(error));
  }
  const first = (assertion?.getClientExtensionResults() as PrfResults | undefined)?.prf?.results?.first;
  if (!first) throw new PasskeyUnavailableError('the passkey returned no PRF output');
  return new Uint8Array(first);
}
