import {
  decodeFunctionData,
  formatUnits,
  getAddress,
  isAddress,
  toFunctionSelector,
  validateTypedData,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type TypedDataDefinition,
} from 'viem';
import { addressForms } from '../address.js';
import { firstLine, OutpostError } from '../errors.js';
import { ContractRevertError, explainRevert, findRevert, formatRevert } from '../reverts/index.js';

/**
 * What a confirmation shows: typed data decoded field by field, contract calls decoded with the
 * ABI and simulated first. Pure functions over viem; the confirm component only renders them.
 */
export type DecodedField = {
  name: string;
  type: string;
  /** Display text for a leaf; null for a struct or array, whose parts are in `fields`. */
  value: string | null;
  /** io1 form for addresses, so both forms people know are shown. */
  ioAddress?: string;
  fields?: DecodedField[];
};

export class InvalidTypedDataError extends OutpostError {
  override name = 'InvalidTypedDataError';
  constructor(details: string) {
    super('signing.typed_data_invalid', 'This signature request is malformed; it was not shown for signing.', {
      details,
      hint: 'The feature that asked for it has a bug; nothing was signed.',
    });
  }
}

export type DecodedTypedData = { primaryType: string; domain: DecodedField[]; message: DecodedField[] };

export function decodeTypedData(typedData: TypedDataDefinition): DecodedTypedData {
  try {
    validateTypedData(typedData as never);
  } catch (error) {
    throw new InvalidTypedDataError(firstLine(error));
  }
  const types = typedData.types as Record<string, readonly { name: string; type: string }[]>;
  const domainTypes: Record<string, string> = { name: 'string', version: 'string', chainId: 'uint256', verifyingContract: 'address', salt: 'bytes32' };
  const domain = Object.entries(typedData.domain ?? {}).map(([name, value]) => leaf(name, domainTypes[name] ?? 'string', value));
  const message = decodeStruct(types, String(typedData.primaryType), typedData.message as Record<string, unknown>);
  return { primaryType: String(typedData.primaryType), domain, message };
}

function decodeStruct(types: Record<string, readonly { name: string; type: string }[]>, typeName: string, value: Record<string, unknown>): DecodedField[] {
  return (types[typeName] ?? []).map((field) => decodeValue(types, field.name, field.type, value[field.name]));
}

function decodeValue(types: Record<string, readonly { name: string; type: string }[]>, name: string, type: string, value: unknown): DecodedField {
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array) {
    const inner = array[1] ?? '';
    const items = Array.isArray(value) ? value : [];
    return { name, type, value: null, fields: items.map((item, i) => decodeValue(types, `${name}[${i}]`, inner, item)) };
  }
  if (types[type]) return { name, type, value: null, fields: decodeStruct(types, type, (value ?? {}) as Record<string, unknown>) };
  return leaf(name, type, value);
}

function leaf(name: string, type: string, value: unknown): DecodedField {
  if (type === 'address' && typeof value === 'string' && isAddress(value, { strict: false })) {
    const forms = addressForms(getAddress(value));
    return { name, type, value: forms.hex, ioAddress: forms.io };
  }
  // Objects may hold bigints (JSON.stringify alone throws on them): those are shown in decimal.
  return { name, type, value: typeof value === 'bigint' ? value.toString() : typeof value === 'object' ? JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)) : String(value) };
}

export type DecodedCall =
  | { kind: 'transfer'; to: Address; value: bigint }
  | { kind: 'call'; to: Address; value: bigint; functionName: string; args: DecodedField[] }
  | { kind: 'unknown'; to: Address; value: bigint; data: Hex; reason: string };

export function decodeCall(input: { to: Address; value?: bigint; data?: Hex; abi?: Abi }): DecodedCall {
  const value = input.value ?? 0n;
  if (!input.data || input.data === '0x') return { kind: 'transfer', to: input.to, value };
  if (!input.abi) return { kind: 'unknown', to: input.to, value, data: input.data, reason: 'No ABI is known for this contract.' };
  try {
    const decoded = decodeFunctionData({ abi: input.abi, data: input.data });
    // By selector, not by name: with overloads (SystemStaking's three `stake`s) the first item of that
    // name would label the arguments with another overload's parameter names.
    const selector = input.data.slice(0, 10).toLowerCase();
    const item = input.abi.find((entry) => entry.type === 'function' && entry.name === decoded.functionName && toFunctionSelector(entry) === selector);
    const inputs = item && 'inputs' in item ? item.inputs : [];
    const args = (decoded.args ?? []).map((arg, i) => {
      const param = inputs[i];
      return decodeAbiValue(param?.name || `arg${i}`, (param ?? { type: 'unknown' }) as AbiParam, arg);
    });
    return { kind: 'call', to: input.to, value, functionName: decoded.functionName, args };
  } catch (error) {
    return { kind: 'unknown', to: input.to, value, data: input.data, reason: `The data does not match the ABI: ${firstLine(error)}` };
  }
}

type AbiParam = { name?: string; type: string; components?: readonly AbiParam[] };

/**
 * One decoded argument for display: fixed and dynamic arrays (uint256[2][2]) and tuples become
 * nested fields named by position (pB[0][1]) or component name, numbers are shown in decimal.
 */
function decodeAbiValue(name: string, param: AbiParam, value: unknown): DecodedField {
  const array = /^(.*)\[(\d*)\]$/.exec(param.type);
  if (array && Array.isArray(value)) {
    const inner: AbiParam = { ...param, type: array[1] ?? '' };
    return { name, type: param.type, value: null, fields: value.map((item, i) => decodeAbiValue(`${name}[${i}]`, inner, item)) };
  }
  if (param.type === 'tuple' && param.components && value && typeof value === 'object') {
    const record = value as Record<string, unknown> & unknown[];
    return {
      name,
      type: param.type,
      value: null,
      fields: param.components.map((component, i) => decodeAbiValue(component.name || `${name}.${i}`, component, Array.isArray(value) ? record[i] : record[component.name ?? ''])),
    };
  }
  return leaf(name, param.type, value);
}

/** The outcome of simulating a call; a revert carries the contract's error name when the ABI knows it. */
export type Simulation = { ok: true; gas: bigint } | { ok: false; reason: string; errorName?: string | null; error?: unknown };

/** Runs the call against the current chain state first, so a revert is shown before signing. */
export async function simulateCall(client: PublicClient, input: { from: Address; to: Address; value?: bigint; data?: Hex; abi?: Abi }): Promise<Simulation> {
  const request = { account: input.from, to: input.to, value: input.value ?? 0n, ...(input.data ? { data: input.data } : {}) };
  try {
    await client.call(request);
    const gas = await client.estimateGas(request);
    return { ok: true, gas };
  } catch (error) {
    // `error` keeps the structure for the screen: the decoded revert with its hint and cause chain.
    const revert = findRevert(error, input.abi);
    return { ok: false, ...revertReason(error, input.abi), error: revert ? new ContractRevertError(revert, { cause: error, action: 'Simulation failed' }) : error };
  }
}

/** The revert as a person reads it (see core/reverts); errorName is the custom error or revert string. */
function revertReason(error: unknown, abi: Abi | undefined): { reason: string; errorName: string | null } {
  const revert = findRevert(error, abi);
  if (revert) {
    const { message } = explainRevert(revert);
    const errorName = revert.kind === 'error' ? revert.name : revert.kind === 'reason' ? revert.reason : null;
    return { reason: `${message} (${formatRevert(revert)})`, errorName };
  }
  return { reason: firstLine(error), errorName: null };
}

export function formatNative(wei: bigint): string {
  return `${formatUnits(wei, 18)} IOTX`;
}
