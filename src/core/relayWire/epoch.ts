/**
 * Relay epochs: fixed-length slices of unix time. Epoch e covers [e·len, (e+1)·len − 1]; a batch
 * for epoch e must prove a window inside it. One batch per device per epoch. The app proves for
 * the length its relay serves at GET /v1/info; the relay judges by its configured length.
 */
export function epochOf(unixSeconds: number, epochSeconds: number): number {
  return Math.floor(unixSeconds / epochSeconds);
}

export function epochBounds(epoch: number, epochSeconds: number): { start: number; end: number } {
  return { start: epoch * epochSeconds, end: (epoch + 1) * epochSeconds - 1 };
}
