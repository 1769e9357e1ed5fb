/**
 * Clients (the app and the relay) call only IoTeX's interface of a contract IoTeX also runs
 * (`<name>Abi`); our additions (`<name>OutpostAbi`, `<name>DevnetAbi`) exist on the devnet only,
 * so each file that uses them is listed here with the devnet-only feature it serves, and that
 * feature must say "devnet only" on screen. A new use fails this test until it is listed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DEVNET_ONLY_USES: Readonly<Record<string, string>> = {
  'src/core/anchoring/exposure.ts':
    'module slashing (slashBps, the unstake freeze a slash can reach) is an Outpost extension; the Staking section says restaking a data module is on the local devnet only',
  'src/core/staking/restakingJobs.ts':
    'restaking into a module (stake(bucketId, moduleId)) and the one-transaction restake are Outpost extensions, built only through requireOutpostExtension, which refuses them on IoTeX networks',
  'src/core/staking/restakingReads.ts':
    'modules (moduleCount, moduleInfo, ModuleRegistered/ModuleSlashed) are an Outpost extension, read only through requireOutpostExtension; on IoTeX the restaking screens show the strategy’s figures alone',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return path === join('src', 'core', 'abis') ? [] : sources(path);
    return /\.(ts|svelte)$/.test(entry) ? [path] : [];
  });
}

const EXTENSION_ABI = /\b[a-zA-Z0-9]+(?:Outpost|Devnet)Abi\b/g;

describe('clients call IoTeX’s interface; extensions are named as devnet only', () => {
  const uses = new Map<string, string[]>();
  for (const file of sources('src')) {
    const found = readFileSync(file, 'utf8').match(EXTENSION_ABI);
    if (found) uses.set(file, [...new Set(found)]);
  }

  it('uses extension ABIs only in files listed with their devnet-only feature', () => {
    const unlisted = [...uses.keys()].filter((file) => !(file in DEVNET_ONLY_USES));
    expect(unlisted, `unlisted uses: ${JSON.stringify(Object.fromEntries(uses))}`).toEqual([]);
  });

  it('lists no file that has stopped using them', () => {
    expect(Object.keys(DEVNET_ONLY_USES).filter((file) => !uses.has(file))).toEqual([]);
  });

  it('the Staking section tells people restaking a data module is devnet only', () => {
    expect(readFileSync('src/app/sections/staking/StakingSection.svelte', 'utf8')).toMatch(/on the local devnet only/);
  });
});
