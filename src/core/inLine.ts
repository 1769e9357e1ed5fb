/**
 * Runs `task` one run at a time. A request made while a run is under way queues one more run after
 * it, and every request made meanwhile joins that queued run, so each request's promise settles
 * after a run that started after the request (a refresh asked for after a save sees the save).
 * Runs never overlap: an older, slower run cannot write over a newer one's result.
 */
export type InLine = {
  /** Asks for a run: starts one now when idle, else joins the queued one. */
  run(): Promise<void>;
  /** True while a run is under way or queued. */
  readonly busy: boolean;
};

export function inLine(task: () => Promise<void>): InLine {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const run: Promise<void> = task().finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  };
  return {
    run() {
      if (queued) return queued;
      if (!running) return start();
      const next = running
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return start();
        });
      queued = next;
      return next;
    },
    get busy() {
      return running !== null || queued !== null;
    },
  };
}
