/**
 * CPU time of processes and threads from Linux's /proc (the bench machines run Linux): utime +
 * stime in clock ticks, converted to ms. A process's figure includes all its threads.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function ticks(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU ms of a whole process (every thread, the exited ones included). */
export function processCpuMs(pid: number): number {
  return ticks(`/proc/${pid}/stat`) * TICK_MS;
}

/** CPU ms of one thread of a process; the main thread's id is the process id. */
export function threadCpuMs(pid: number, tid = pid): number {
  return ticks(`/proc/${pid}/task/${tid}/stat`) * TICK_MS;
}

/**
 * CPU ms of a process and all its live descendants (a PostgreSQL server: the postmaster and its
 * backends; a bench: the Chromium it launched and the browser's own child processes).
 */
export function processTreeCpuMs(pid: number): number {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended between the listing and the read
    }
  }
  const inTree = (candidate: number): boolean => {
    for (let at: number | undefined = candidate, hops = 0; at && hops < 64; at = parentOf.get(at), hops++) if (at === pid) return true;
    return false;
  };
  let total = 0;
  for (const member of parentOf.keys()) {
    if (!inTree(member)) continue;
    try {
      total += processCpuMs(member);
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

/** CPU ms spent by the whole machine (every core, every process) since boot, from /proc/stat. */
export function machineCpuMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
  const busy = fields.reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
  return busy * TICK_MS;
}
