/**
 * Every custom error the app can meet on a chain it talks to: the errors of all our contracts
 * (from the generated ABIs, which include OpenZeppelin 5's), plus IoTeX's own contracts'
 * custom errors that ours need not declare. OpenZeppelin 4 and ioID revert with strings
 * (`Error(string)`), which need no ABI.
 */
import { parseAbi, type Abi } from 'viem';

type AbiError = Extract<Abi[number], { type: 'error' }>;
import * as abis from '../abis/index.js';

/** SystemStaking V3 (iotexproject/iip13-contracts src/SystemStaking3.sol). */
const SYSTEM_STAKING_V3_ERRORS = parseAbi([
  'error ErrInvalidAmount()',
  'error ErrInvalidDuration()',
  'error ErrInvalidParameter()',
  'error ErrInvalidBucket()',
  'error ErrNotUnstakedBucket()',
  'error ErrNotOwner()',
  'error ErrNotReady()',
  'error ErrNotLockedBucket()',
  'error ErrNotStakedBucket()',
  'error ErrTransferFailed()',
]);

function collect(sources: readonly Abi[]): AbiError[] {
  const seen = new Set<string>();
  const errors: AbiError[] = [];
  for (const abi of sources) {
    for (const item of abi) {
      if (item.type !== 'error') continue;
      const key = `${item.name}(${item.inputs.map((input) => input.type).join(',')})`;
      if (seen.has(key)) continue;
      seen.add(key);
      errors.push(item);
    }
  }
  return errors;
}

export const KNOWN_ERRORS_ABI: readonly AbiError[] = collect([...(Object.values(abis) as Abi[]), SYSTEM_STAKING_V3_ERRORS]);
