import type { JobRecord, JobStore } from './types.js';

/**
 * A JobStore in memory: for tests, and for any context without IndexedDB. Records are copied in
 * and out (as IndexedDB's structured clone does), so a runner never shares objects with a reader.
 * Records are plain data by contract (no bigint, no functions), so a JSON copy is a faithful one.
 */
export function createMemoryJobStore(): JobStore {
  const records = new Map<string, JobRecord>();
  const held = new Set<string>();
  return {
    async get(id) {
      const record = records.get(id);
      return record ? copy(record) : undefined;
    },
    async put(record) {
      records.set(record.id, copy(record));
    },
    async list({ account, chainId }) {
      return [...records.values()]
        .filter((record) => record.chainId === chainId && record.account.toLowerCase() === account.toLowerCase())
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((record) => copy(record));
    },
    async delete(id) {
      records.delete(id);
    },
    async lock(id) {
      if (held.has(id)) return null;
      held.add(id);
      return () => held.delete(id);
    },
  };
}

const copy = (record: JobRecord): JobRecord => JSON.parse(JSON.stringify(record)) as JobRecord;
