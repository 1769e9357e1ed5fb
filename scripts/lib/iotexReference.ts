/**
 * IoTeX's external surface for each contract ours stands in for, kept as data in
 * tests/contracts/conformance/reference/*.json (written from IoTeX's sources; see its README),
 * and the one notation both the ABI generator and the conformance test compare in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Abi, AbiParameter } from 'viem';

export type IotexReference = {
  /** IoTeX's contract name. */
  contract: string;
  /** Repository, path and commit the lists were written from. */
  source: string;
  /** Our artifact that carries the surface: `contracts/<path>.sol:<Name>`. */
  ours: string;
  /** Signature → output types. */
  functions: Record<string, string[]>;
  /** `Name(type indexed,type)`: indexed markers included, so topics are compared too. */
  events: string[];
  errors: string[];
  /** Entries ours deliberately lacks, with the reason. */
  exempt?: Record<string, string>;
};

const REFERENCE_DIR = 'tests/contracts/conformance/reference';

export function loadReferences(dir = REFERENCE_DIR): IotexReference[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as IotexReference);
}

/** A parameter's type with tuples spelled out, `(uint256,address)[]`. */
export function canonicalType(parameter: AbiParameter): string {
  if (!parameter.type.startsWith('tuple')) return parameter.type;
  const components = (parameter as { components: readonly AbiParameter[] }).components;
  return `(${components.map(canonicalType).join(',')})${parameter.type.slice('tuple'.length)}`;
}

type AbiItem = Abi[number];

/** The key an ABI item has in a reference list (null for constructors, receive, fallback). */
export function referenceKey(item: AbiItem): { list: 'functions' | 'events' | 'errors'; key: string } | null {
  if (item.type === 'function') return { list: 'functions', key: `${item.name}(${item.inputs.map(canonicalType).join(',')})` };
  if (item.type === 'event')
    return { list: 'events', key: `${item.name}(${item.inputs.map((input) => `${canonicalType(input)}${input.indexed ? ' indexed' : ''}`).join(',')})` };
  if (item.type === 'error') return { list: 'errors', key: `${item.name}(${item.inputs.map(canonicalType).join(',')})` };
  return null;
}

/** Whether IoTeX's contract has this item (same signature; for events, same indexed arguments). */
export function inReference(reference: IotexReference, item: AbiItem): boolean {
  const found = referenceKey(item);
  if (!found) return false;
  if (found.list === 'functions') return found.key in reference.functions;
  return reference[found.list].includes(found.key);
}
