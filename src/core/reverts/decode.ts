/**
 * Finds and decodes a contract revert, wherever a library put it in an error chain, against
 * every error the app knows: our contracts' custom errors, IoTeX's (SystemStaking V3's `Err*`,
 * MSP's), OpenZeppelin 5's, and Solidity's `Error(string)` (OpenZeppelin 4 and ioID's
 * `require` strings) and `Panic(uint256)`. Pure: no chain access.
 */
import { decodeErrorResult, type Abi, type Hex } from 'viem';
import { causeChain } from '../errors.js';
import { KNOWN_ERRORS_ABI } from './knownErrors.js';

export type DecodedRevert =
  /** A custom error: `name(args)`, decoded with its ABI item. */
  | { kind: 'error'; name: string; args: readonly unknown[]; data: Hex }
  /** `require(…, "reason")` / `revert("reason")`. */
  | { kind: 'reason'; reason: string; data: Hex | null }
  /** A Solidity panic (overflow, division by zero, array bounds…). */
  | { kind: 'panic'; code: bigint; data: Hex }
  /** Revert data the app has no ABI for (an unknown contract), or a revert without data. */
  | { kind: 'unknown'; data: Hex | null };

const HEX = /^0x[0-9a-fA-F]*$/;

/** Decodes raw revert data. `extraAbi` adds the errors of a contract the app does not ship. */
export function decodeRevertData(data: Hex, extraAbi: Abi = []): DecodedRevert {
  if (data === '0x' || data.length < 10) return { kind: 'unknown', data: data === '0x' ? null : data };
  try {
    const decoded = decodeErrorResult({ abi: [...extraAbi, ...KNOWN_ERRORS_ABI], data });
    const args = decoded.args ?? [];
    if (decoded.errorName === 'Error') return { kind: 'reason', reason: String(args[0] ?? ''), data };
    if (decoded.errorName === 'Panic') return { kind: 'panic', code: BigInt(args[0] as bigint), data };
    return { kind: 'error', name: decoded.errorName, args, data };
  } catch {
    return { kind: 'unknown', data };
  }
}

/** Revert data as nodes and viem carry it: `data` as hex, `data.data` (JSON-RPC error), `raw`. */
function dataOf(value: unknown): Hex | null {
  if (!value || typeof value !== 'object') return null;
  const record = value as { data?: unknown; raw?: unknown };
  for (const candidate of [record.raw, record.data, (record.data as { data?: unknown } | undefined)?.data]) {
    if (typeof candidate === 'string' && HEX.test(candidate) && candidate.length >= 10) return candidate as Hex;
  }
  return null;
}

/** A reason string viem already decoded (ContractFunctionRevertedError.reason) or a node put in its message. */
function reasonOf(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const reason = (value as { reason?: unknown }).reason;
  if (typeof reason === 'string' && reason.length > 0) return reason;
  const message = (value as { message?: unknown }).message;
  if (typeof message !== 'string') return null;
  const match = /reverted with reason string '([^']*)'/.exec(message);
  return match ? (match[1] ?? null) : null;
}

/**
 * The revert inside any thrown value (viem's errors, JSON-RPC errors, Hardhat's), or null when the
 * failure was not a revert (network down, user rejected, …).
 */
export function findRevert(error: unknown, extraAbi: Abi = []): DecodedRevert | null {
  const chain = causeChain(error);
  for (const link of chain) {
    const data = dataOf(link);
    if (data) {
      const decoded = decodeRevertData(data, extraAbi);
      if (decoded.kind !== 'unknown') return decoded;
    }
  }
  for (const link of chain) {
    const reason = reasonOf(link);
    if (reason) return { kind: 'reason', reason, data: null };
  }
  const reverted = chain.some((link) => {
    const name = (link as { name?: unknown } | null)?.name;
    const message = (link as { message?: unknown } | null)?.message;
    return name === 'ContractFunctionRevertedError' || (typeof message === 'string' && /execution reverted|reverted without a reason|VM Exception|Transaction reverted/i.test(message));
  });
  if (reverted) return { kind: 'unknown', data: chain.map(dataOf).find((data) => data !== null) ?? null };
  return null;
}

/** `Name(arg, …)` / the reason / `panic 0x11`: the revert as a developer reads it. */
export function formatRevert(revert: DecodedRevert): string {
  switch (revert.kind) {
    case 'error':
      return `${revert.name}(${revert.args.map((arg) => (typeof arg === 'bigint' ? arg.toString() : String(arg))).join(', ')})`;
    case 'reason':
      return `"${revert.reason}"`;
    case 'panic':
      return `panic 0x${revert.code.toString(16)}`;
    case 'unknown':
      return revert.data ? `unknown error ${revert.data.slice(0, 10)}` : 'no reason given';
  }
}
