/**
 * The generated Groth16 verifier (contracts/zk/Groth16Verifier.sol) on Hardhat's EVM: an honest
 * batch proof made with snarkjs in Node verifies on-chain, and the same proof with any public
 * signal changed does not. Run `npx hardhat compile --quiet` first.
 */
import hre from 'hardhat';
import { createPublicClient, createWalletClient, custom, type Abi, type Address, type EIP1193Provider, type Hex } from 'viem';
import { hardhat } from 'viem/chains';
import { beforeAll, describe, expect, it } from 'vitest';
import { readProvingArtifacts, readVerificationKey } from '../../src/node/zkArtifacts.js';
import { toSolidityProof, type BatchProof } from '../../src/core/zk/proof.js';
import { proveBatch } from '../../src/core/zk/prove.js';
import { verifyBatchProof } from '../../src/core/zk/verify.js';
import { buildBatchWitness } from '../../src/core/zk/witness.js';
import { honestClaim, honestReadings } from '../unit/zk/fixtures.js';

const provider = hre.network.provider as unknown as EIP1193Provider;
const publicClient = createPublicClient({ chain: hardhat, transport: custom(provider) });

let verifier: Address;
let abi: Abi;
let honest: BatchProof;

async function verifyOnChain(batch: BatchProof): Promise<boolean> {
  const { pA, pB, pC, pubSignals } = toSolidityProof(batch);
  return (await publicClient.readContract({ address: verifier, abi, functionName: 'verifyProof', args: [pA, pB, pC, pubSignals] })) as boolean;
}

beforeAll(async () => {
  const artifact = await hre.artifacts.readArtifact('Groth16Verifier');
  abi = artifact.abi as Abi;
  const [account] = (await provider.request({ method: 'eth_accounts' })) as Address[];
  const wallet = createWalletClient({ chain: hardhat, transport: custom(provider), account: account! });
  const hash = await wallet.deployContract({ abi, bytecode: artifact.bytecode as Hex, args: [] });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  verifier = receipt.contractAddress!;

  const witness = buildBatchWitness(honestReadings(64), honestClaim());
  honest = await proveBatch(witness.input, witness.publicSignalsTuple, await readProvingArtifacts());
});

describe('Groth16Verifier on the EVM', () => {
  it('accepts an honest batch proof, as the Node verifier does', async () => {
    expect(await verifyBatchProof(await readVerificationKey(), honest)).toBe(true);
    expect(await verifyOnChain(honest)).toBe(true);
  });

  it('rejects the proof when any public signal is changed', async () => {
    for (let index = 0; index < 4; index++) {
      const publicSignals = [...honest.publicSignals] as [bigint, bigint, bigint, bigint];
      publicSignals[index] = publicSignals[index]! + 1n;
      const tampered = { proof: honest.proof, publicSignals };
      expect(await verifyOnChain(tampered), `signal ${index}`).toBe(false);
      expect(await verifyBatchProof(await readVerificationKey(), tampered), `signal ${index}`).toBe(false);
    }
  });

  it('rejects a public signal shifted by the field modulus', async () => {
    const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
    const publicSignals = [...honest.publicSignals] as [bigint, bigint, bigint, bigint];
    publicSignals[0] = publicSignals[0] + r;
    expect(await verifyOnChain({ proof: honest.proof, publicSignals })).toBe(false);
  });

  it('rejects a proof with a changed proof point', async () => {
    const proof = { ...honest.proof, pi_c: [honest.proof.pi_a[0], honest.proof.pi_a[1], '1'] as [string, string, string] };
    expect(await verifyOnChain({ proof, publicSignals: honest.publicSignals })).toBe(false);
  });

  it('costs about 230k gas to verify on-chain', async () => {
    const { pA, pB, pC, pubSignals } = toSolidityProof(honest);
    const gas = await publicClient.estimateContractGas({ address: verifier, abi, functionName: 'verifyProof', args: [pA, pB, pC, pubSignals] });
    console.log(`Groth16Verifier.verifyProof gas (estimate, incl. 21k base): ${gas}`);
    expect(gas).toBeGreaterThan(150_000n);
    expect(gas).toBeLessThan(400_000n);
  });
});
