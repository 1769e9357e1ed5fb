/**
 * A revert reaches the copyable error report (src/core/errorReport.ts, what ErrorNotice's "Copy
 * details" puts on the clipboard) the same way whichever contract raised it: a real revert from
 * our SystemStaking with IoTeX V3's custom error, thrown by viem from an eth_call, and an
 * OpenZeppelin 4 revert string as IoTeX's own deployment answers it (`Error(string)` in the
 * JSON-RPC error's data), also thrown by viem. Expected wording is written here from IoTeX's rules.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, custom, encodeErrorResult, encodeFunctionData, parseAbi, parseEther, type Hex } from 'viem';
import { systemStakingAbi } from '../../../src/core/abis/index.js';
import { errorReport } from '../../../src/core/errorReport.js';
import { asContractRevert } from '../../../src/core/reverts/index.js';
import { deployFixture, type Fixture } from '../helpers/fixture.js';

let f: Fixture;
const DAY = 86_400n;
const NOW = new Date('2026-01-02T03:04:05.000Z');

beforeAll(async () => {
  f = await deployFixture();
});

async function thrownBy(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to revert');
}

describe('a contract revert in the copied error report', () => {
  it('IoTeX V3’s ErrInvalidDuration from our SystemStaking: code, the V3 error, the fix and the viem cause', async () => {
    const data = encodeFunctionData({ abi: systemStakingAbi, functionName: 'stake', args: [DAY + DAY / 2n, f.delegates[0]!] });
    const thrown = await thrownBy(() => f.chain.publicClient.call({ account: f.chain.accounts[2]!, to: f.c.systemStaking, data, value: parseEther('1') }));
    const report = errorReport(asContractRevert(thrown, 'Stake'), { screen: 'staking', network: 'devnet', appVersion: 'test' }, undefined, NOW);
    const lines = report.split('\n');

    expect(lines[0]).toBe('Outpost error report');
    expect(lines).toContain('code: chain.reverted');
    expect(report).toMatch(/^message: Stake: .*whole number of days/m);
    expect(report).toMatch(/^fix: .*whole days/m);
    expect(lines).toContain('details: ErrInvalidDuration()');
    // The chain goes from our error down to what viem threw.
    expect(report).toMatch(/^cause chain:\n {2}0\. ContractRevertError \[chain\.reverted\]: Stake: /m);
    expect(lines).toContain('  1. CallExecutionError: An unknown RPC error occurred.');
    // …and ends at the node's own words, which name V3's error.
    expect(lines.filter((line) => /^ {2}\d+\. /.test(line)).at(-1)).toMatch(/ErrInvalidDuration\(\)/);
    expect(lines).toContain('screen: staking');
    expect(lines).toContain(`time: ${NOW.toISOString()}`);
  });

  it('an OpenZeppelin 4 string as IoTeX’s deployment sends it: "ERC721: invalid token ID"', async () => {
    // What an IoTeX node answers for an eth_call into an OZ4 ERC721 with a missing token.
    const revertData: Hex = encodeErrorResult({ abi: parseAbi(['error Error(string)']), errorName: 'Error', args: ['ERC721: invalid token ID'] });
    const iotexNode = createPublicClient({
      transport: custom({
        request: async ({ method }: { method: string }) => {
          if (method === 'eth_call') throw Object.assign(new Error('execution reverted: ERC721: invalid token ID'), { code: 3, data: revertData });
          throw new Error(`unexpected ${method}`);
        },
      }, { retryCount: 0 }),
    });
    const data = encodeFunctionData({ abi: systemStakingAbi, functionName: 'bucketOf', args: [999n] });
    const thrown = await thrownBy(() => iotexNode.call({ to: f.c.systemStaking, data }));
    const report = errorReport(asContractRevert(thrown, 'Read bucket 999'), { screen: 'staking' }, undefined, NOW);
    const lines = report.split('\n');

    expect(lines).toContain('code: chain.reverted');
    expect(report).toMatch(/^message: Read bucket 999: That token does not exist/m);
    expect(report).toMatch(/^fix: Refresh/m);
    expect(lines).toContain('details: "ERC721: invalid token ID"');
    expect(report).toMatch(/^cause chain:\n {2}0\. ContractRevertError \[chain\.reverted\]/m);
    expect(lines).toContain('  1. CallExecutionError: Execution reverted with reason: ERC721: invalid token ID.');
    expect(lines.filter((line) => /^ {2}\d+\. /.test(line)).at(-1)).toBe('  4. Error [3]: execution reverted: ERC721: invalid token ID');
  });
});
