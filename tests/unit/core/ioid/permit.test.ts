/**
 * The ioID Permit (src/core/ioid/permit.ts): its EIP-712 digest against one computed here from the
 * EIP-712 definition (keccak of the encoded domain and struct, "\x19\x01"), and the checks on a
 * device's signature: 65 bytes with v 0/1/27/28, 64 bytes (ioConnect) with v found, high-s,
 * malformed lengths, another key, a stale nonce and another owner. Signatures are made here with
 * @noble/curves over the digest, as a device does.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, concat, encodeAbiParameters, getAddress, hexToBytes, keccak256, numberToHex, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { decodeIoidPermit, ioidPermitDigest, ioidPermitTypedData, verifyIoidPermitSignature, type IoidPermit } from '../../../../src/core/ioid/index.js';
import { seededHex } from '../../../support/seed.js';

const CURVE_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const deviceKey = seededHex('ioid permit device');
const otherKey = seededHex('ioid permit other device');
const device = privateKeyToAddress(deviceKey);
const registry: Address = getAddress('0x04e4655cf258ec802d17c23ec6112ef7d97fa2af');
const owner: Address = getAddress('0x70997970c51812dc3a010c7d01b50e0d17dc79c8');
const otherOwner: Address = getAddress('0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc');
const permit: IoidPermit = { chainId: 4689, registry, device, owner, nonce: 3n };

/** The digest straight from EIP-712: keccak256("\x19\x01" ‖ domainSeparator ‖ hashStruct(Permit)). */
function handDigest(p: IoidPermit): Hex {
  const domainType = keccak256(stringToBytes('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
  const domainSeparator = keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
      [domainType, keccak256(stringToBytes('ioIDRegistry')), keccak256(stringToBytes('1')), BigInt(p.chainId), p.registry],
    ),
  );
  const structHash = keccak256(
    encodeAbiParameters([{ type: 'bytes32' }, { type: 'address' }, { type: 'uint256' }], [keccak256(stringToBytes('Permit(address owner,uint256 nonce)')), p.owner, p.nonce]),
  );
  return keccak256(concat(['0x1901', domainSeparator, structHash]));
}

/** r‖s‖yParity over a digest, low-s, as the device protocol sends it. */
function deviceSign(key: Hex, digest: Hex): { r: Hex; s: Hex; yParity: number } {
  const recovered = secp256k1.sign(hexToBytes(digest), hexToBytes(key), { prehash: false, format: 'recovered' });
  return { yParity: recovered[0]!, r: bytesToHex(recovered.subarray(1, 33)), s: bytesToHex(recovered.subarray(33, 65)) };
}

describe('the ioID Permit', () => {
  it('has the EIP-712 digest of Permit(owner, nonce) in the ioIDRegistry domain', () => {
    expect(ioidPermitDigest(permit)).toBe(handDigest(permit));
    expect(ioidPermitDigest({ ...permit, nonce: 4n })).toBe(handDigest({ ...permit, nonce: 4n }));
    expect(ioidPermitDigest({ ...permit, chainId: 31337 })).toBe(handDigest({ ...permit, chainId: 31337 }));
    expect(ioidPermitDigest({ ...permit, nonce: 4n })).not.toBe(handDigest(permit));
  });

  it('types data with IoTeX’s domain and type', () => {
    const typed = ioidPermitTypedData(permit);
    expect(typed.domain).toEqual({ name: 'ioIDRegistry', version: '1', chainId: 4689, verifyingContract: registry });
    expect(typed.types).toEqual({ Permit: [{ name: 'owner', type: 'address' }, { name: 'nonce', type: 'uint256' }] });
    expect(typed.message).toEqual({ owner, nonce: 3n });
  });

  it('decodes into a sentence naming the device, the owner and the nonce', () => {
    const decoded = decodeIoidPermit(permit);
    expect(decoded.text).toBe(`Device ${device.slice(0, 6)}…${device.slice(-4)} allows 0x7099…79C8 to register it; nonce 3`);
    expect(decoded.digest).toBe(handDigest(permit));
  });
});

describe('a device’s permit signature', () => {
  const digest = handDigest(permit);
  const { r, s, yParity } = deviceSign(deviceKey, digest);

  it('accepts 65 bytes with v as 0/1 or 27/28', async () => {
    for (const v of [yParity, yParity + 27]) {
      const verified = await verifyIoidPermitSignature(permit, concat([r, s, numberToHex(v, { size: 1 })]));
      expect(verified).toEqual({ v: yParity + 27, r, s, signer: device });
    }
  });

  it('finds v (27 or 28) for a 64-byte ioConnect signature', async () => {
    const verified = await verifyIoidPermitSignature(permit, concat([r, s]));
    expect(verified.v).toBe(yParity + 27);
    // Both parities occur across permits: v is found, not assumed.
    const parities = new Set<number>();
    for (let nonce = 0n; nonce < 12n && parities.size < 2; nonce++) {
      const other = { ...permit, nonce };
      const signed = deviceSign(deviceKey, handDigest(other));
      parities.add(signed.yParity);
      expect((await verifyIoidPermitSignature(other, concat([signed.r, signed.s]))).v).toBe(signed.yParity + 27);
    }
    expect(parities).toEqual(new Set([0, 1]));
  });

  it('refuses the wrong recovery byte of a 65-byte signature', async () => {
    const wrong = concat([r, s, numberToHex(28 - yParity, { size: 1 })]);
    await expect(verifyIoidPermitSignature(permit, wrong)).rejects.toMatchObject({ code: 'ioid.permit_other_signer' });
  });

  it('refuses high-s (the same signature with s = n − s)', async () => {
    const highS = numberToHex(CURVE_N - BigInt(s), { size: 32 });
    await expect(verifyIoidPermitSignature(permit, concat([r, highS]))).rejects.toMatchObject({ code: 'ioid.signature_high_s' });
    await expect(verifyIoidPermitSignature(permit, concat([r, highS, numberToHex(28 - yParity, { size: 1 })]))).rejects.toMatchObject({ code: 'ioid.signature_high_s' });
  });

  it('refuses malformed lengths and recovery bytes', async () => {
    await expect(verifyIoidPermitSignature(permit, concat([r, s, '0x1b00']))).rejects.toMatchObject({ code: 'ioid.signature_length' });
    await expect(verifyIoidPermitSignature(permit, r)).rejects.toMatchObject({ code: 'ioid.signature_length' });
    await expect(verifyIoidPermitSignature(permit, concat([r, s, '0x05']))).rejects.toMatchObject({ code: 'ioid.signature_length' });
  });

  it('names another key, a stale nonce and another owner', async () => {
    const byOther = deviceSign(otherKey, digest);
    await expect(verifyIoidPermitSignature(permit, concat([byOther.r, byOther.s]))).rejects.toMatchObject({ code: 'ioid.permit_other_signer' });

    const stale = deviceSign(deviceKey, handDigest({ ...permit, nonce: 2n }));
    await expect(verifyIoidPermitSignature(permit, concat([stale.r, stale.s]))).rejects.toMatchObject({ code: 'ioid.permit_stale' });

    const forOther = deviceSign(deviceKey, handDigest({ ...permit, owner: otherOwner }));
    await expect(verifyIoidPermitSignature(permit, concat([forOther.r, forOther.s]), { otherOwners: [otherOwner] })).rejects.toMatchObject({
      code: 'ioid.permit_other_owner',
    });
    // Without the other owner to compare with, it can only be named as not this permit.
    await expect(verifyIoidPermitSignature(permit, concat([forOther.r, forOther.s]))).rejects.toMatchObject({ code: 'ioid.permit_other_signer' });
  });
});
