import type { Page } from 'playwright-core';

/**
 * Reads the app's IndexedDB ("outpost") from a page of its origin, as stored: one record by key,
 * or every record of the store without one. For tests that check what the app wrote, not what it shows.
 */
export function readStored<T = unknown>(page: Page, store: string, key?: string): Promise<T> {
  return page.evaluate(
    ([storeName, recordKey]) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('outpost');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const objects = open.result.transaction(storeName).objectStore(storeName);
          const request = recordKey === null ? objects.getAll() : objects.get(recordKey);
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as T);
          };
        };
      }),
    [store, key ?? null] as const,
  );
}
