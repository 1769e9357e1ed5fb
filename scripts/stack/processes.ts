import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type ManagedProcess = {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop: () => Promise<void>;
  /** The last lines it printed, for error messages. */
  output: () => string;
};

export type SpawnOptions = {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Print the child's output with a name prefix (dev), or keep it for errors only (tests). */
  echo?: boolean;
};

const running = new Set<ManagedProcess>();

/** Starts a child process that `stopAll` (and Ctrl-C in dev) will stop. */
export function startProcess(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops anything it started.
    detached: process.platform !== 'win32',
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 200) tail.shift();
      if (options.echo) process.stdout.write(`[${name}] ${line}\n`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const managed: ManagedProcess = {
    name,
    child,
    exited,
    output: () => tail.join('\n'),
    async stop() {
      running.delete(managed);
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(managed);
  return managed;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((managed) => managed.stop()));
}

/** Polls until `probe` succeeds or the process dies or time runs out, naming which. */
export async function waitUntil(
  managed: ManagedProcess | null,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (managed && managed.child.exitCode !== null) {
      throw new Error(`${what} exited (code ${managed.child.exitCode}) before it was ready:\n${managed.output()}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} was not ready after ${Math.round(timeoutMs / 1000)} s${managed ? `:\n${managed.output()}` : ''}`);
}
