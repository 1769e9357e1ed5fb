/**
 * BN254 points for the verifier tests, built with @noble/curves (an implementation independent of
 * mcl), and converted to and from snarkjs's JSON form.
 */
import { bn254, bn254_Fr } from '@noble/curves/bn254.js';
import type { Groth16Proof } from '../../../src/core/zk/proof.js';

export const P = bn254.fields.Fp.ORDER;
export const R = bn254_Fr.ORDER;
const { Fp2 } = bn254.fields;
export const G1 = bn254.G1.Point;
export const G2 = bn254.G2.Point;

export type G1Json = [string, string, string];
export type G2Json = Groth16Proof['pi_b'];

export function g1Point(json: G1Json) {
  return G1.fromAffine({ x: BigInt(json[0]), y: BigInt(json[1]) });
}
export function g1Json(point: InstanceType<typeof G1>): G1Json {
  const { x, y } = point.toAffine();
  return [x.toString(), y.toString(), '1'];
}
export function g2Point(json: G2Json) {
  return G2.fromAffine({ x: Fp2.create({ c0: BigInt(json[0][0]), c1: BigInt(json[0][1]) }), y: Fp2.create({ c0: BigInt(json[1][0]), c1: BigInt(json[1][1]) }) });
}
export function g2Json(point: InstanceType<typeof G2>): G2Json {
  const { x, y } = point.toAffine();
  return [
    [x.c0.toString(), x.c1.toString()],
    [y.c0.toString(), y.c1.toString()],
    ['1', '0'],
  ];
}
/** k·Q for any k ≥ 0 (noble's multiply refuses scalars ≥ r, and the cofactor is larger). */
export function g2Times(point: InstanceType<typeof G2>, k: bigint) {
  let sum = G2.ZERO;
  for (let add = point; k > 0n; k >>= 1n, add = add.double()) if (k & 1n) sum = sum.add(add);
  return sum;
}

/** A point on the twist E'(Fp2) outside the order-r subgroup, found by trying x = k + u. */
export function twistPointOutsideSubgroup() {
  const b = G2.CURVE().b;
  for (let k = 1n; ; k++) {
    const x = Fp2.create({ c0: k, c1: 1n });
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    let y;
    try {
      y = Fp2.sqrt(rhs);
    } catch {
      continue;
    }
    const point = G2.fromAffine({ x, y });
    if (!g2Times(point, R).is0()) return point;
  }
}

