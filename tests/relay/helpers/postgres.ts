import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { anyFreePort } from '../../../scripts/stack/ports.js';
import { freshDataDir } from './relay.js';

export type TestPostgres = { url: string; stop: () => Promise<void> };

/** Debian's PostgreSQL binaries (scripts/setup.sh installs the `postgresql` package when they are missing). */
function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(`${root}/${v}/bin/initdb`)).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed: run `npm run setup` (installs Debian\'s postgresql).');
  return `${root}/${versions[0]}/bin`;
}

/**
 * A throwaway PostgreSQL cluster: initdb into tests/.tmp, pg_ctl start on a free loopback port, and
 * stop() shuts it down. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = pgBin();
  const dir = resolve(freshDataDir('pg'));
  const data = `${dir}/data`;
  mkdirSync(data, { recursive: true });
  const asRoot = userInfo().uid === 0;
  const run = (file: string, args: string[]) => {
    const command = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] as const : [file, args] as const;
    const result = spawnSync(command[0], [...command[1]], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
    chmodSync(data, 0o700);
  }
  run(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await anyFreePort();
  run(`${bin}/pg_ctl`, ['-D', data, '-l', `${dir}/server.log`, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      run(`${bin}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
  };
}
