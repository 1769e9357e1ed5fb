/**
 * Our compiled ABIs carry IoTeX's whole external surface: every function with the same outputs,
 * every event with the same indexed arguments (so the same topics), every custom error. The
 * expected lists are data written from IoTeX's sources (reference/*.json, see its README), never
 * read from our contracts. Run after `hardhat compile`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Abi, AbiParameter } from 'viem';
import { canonicalType, loadReferences, referenceKey } from '../../../scripts/lib/iotexReference.js';

function loadArtifactAbi(qualified: string): Abi {
  const [source, name] = qualified.split(':') as [string, string];
  return (JSON.parse(readFileSync(join('artifacts', source, `${name}.json`), 'utf8')) as { abi: Abi }).abi;
}

type Surface = { functions: Map<string, string[]>; events: Set<string>; errors: Set<string> };

/** Our surface in the reference's notation. */
function surfaceOf(abi: Abi): Surface {
  const surface: Surface = { functions: new Map(), events: new Set(), errors: new Set() };
  for (const item of abi) {
    const found = referenceKey(item);
    if (!found) continue;
    if (found.list === 'functions') surface.functions.set(found.key, (item as { outputs: readonly AbiParameter[] }).outputs.map(canonicalType));
    else surface[found.list].add(found.key);
  }
  return surface;
}

const references = loadReferences();

describe('IoTeX surface conformance (reference lists written from IoTeX sources)', () => {
  it('has a reference list for each contract IoTeX runs in our place', () => {
    expect(references.map((reference) => reference.contract).sort()).toEqual(
      ['BucketRewardPool', 'BucketStrategy', 'ProjectRegistry', 'Project', 'StrategyManager', 'SystemStaking3', 'ioID', 'ioIDRegistry', 'ioIDStore'].sort(),
    );
  });

  for (const reference of references) {
    describe(`${reference.contract} (${reference.source}) → ${reference.ours}`, () => {
      const ours = surfaceOf(loadArtifactAbi(reference.ours));
      const exempt = reference.exempt ?? {};

      it('carries every function with the same outputs', () => {
        const problems: string[] = [];
        for (const [signature, outputs] of Object.entries(reference.functions)) {
          if (signature in exempt) continue;
          const mine = ours.functions.get(signature);
          if (!mine) problems.push(`missing ${signature} -> (${outputs.join(',')})`);
          else if (mine.join(',') !== outputs.join(',')) problems.push(`${signature} returns (${mine.join(',')}), IoTeX's (${outputs.join(',')})`);
        }
        expect(problems).toEqual([]);
      });

      it('emits every event with the same indexed arguments (same topics)', () => {
        const missing = reference.events.filter((event) => !(event in exempt) && !ours.events.has(event));
        expect(missing).toEqual([]);
      });

      it('declares every custom error', () => {
        const missing = reference.errors.filter((error) => !(error in exempt) && !ours.errors.has(error));
        expect(missing).toEqual([]);
      });

      it('exempts only what the reference has, each with a reason', () => {
        for (const [entry, reason] of Object.entries(exempt)) {
          const known = entry in reference.functions || reference.events.includes(entry) || reference.errors.includes(entry);
          expect(known, `${entry} is exempted but not in IoTeX's list`).toBe(true);
          expect(reason.length, `${entry} needs a reason`).toBeGreaterThan(20);
        }
      });
    });
  }
});
