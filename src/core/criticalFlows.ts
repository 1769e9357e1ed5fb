/**
 * Work that must not be interrupted by swapping the app's code underneath it: a signature being
 * collected, a device being paired. Core functions that do such work wrap it in `runCritical`,
 * so the update prompt can wait for them instead of every UI having to remember.
 */
type Listener = (active: readonly string[]) => void;

const active = new Map<number, string>();
const listeners = new Set<Listener>();
let nextId = 1;

function emit(): void {
  const names = [...active.values()];
  for (const listener of listeners) listener(names);
}

function beginCriticalFlow(name: string): () => void {
  const id = nextId++;
  active.set(id, name);
  emit();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    active.delete(id);
    emit();
  };
}

export async function runCritical<T>(name: string, work: () => Promise<T>): Promise<T> {
  const end = beginCriticalFlow(name);
  try {
    return await work();
  } finally {
    end();
  }
}

function activeCriticalFlows(): readonly string[] {
  return [...active.values()];
}

export function onCriticalFlowsChange(listener: Listener): () => void {
  listeners.add(listener);
  listener(activeCriticalFlows());
  return () => listeners.delete(listener);
}
