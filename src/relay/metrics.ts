/**
 * A small Prometheus registry (text exposition format 0.0.4): counters and gauges with labels,
 * and one latency histogram. Enough for /metrics without a dependency.
 */
type Labels = Record<string, string>;

function key(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

class Family {
  readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string, readonly type: 'counter' | 'gauge') {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  set(labels: Labels, value: number): void {
    this.values.set(key(labels), value);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return lines;
  }
}

const BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

class Histogram {
  readonly counts = new Array<number>(BUCKETS_S.length).fill(0);
  sum = 0;
  count = 0;
  constructor(readonly name: string, readonly help: string) {}
  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    BUCKETS_S.forEach((bound, i) => {
      if (seconds <= bound) this.counts[i]!++;
    });
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    BUCKETS_S.forEach((bound, i) => lines.push(`${this.name}_bucket{le="${bound}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines;
  }
}

export class RelayMetrics {
  readonly requests = new Family('outpost_relay_http_requests_total', 'HTTP requests by route and status.', 'counter');
  readonly accepted = new Family('outpost_relay_batches_accepted_total', 'Device batches accepted (new, not retries).', 'counter');
  readonly readings = new Family('outpost_relay_readings_accepted_total', 'Readings in accepted batches.', 'counter');
  readonly rejected = new Family('outpost_relay_batches_rejected_total', 'Batch submissions refused, by code.', 'counter');
  readonly anchors = new Family('outpost_relay_anchor_txs_total', 'Operator transactions by kind and outcome.', 'counter');
  readonly pending = new Family('outpost_relay_batches_unanchored', 'Accepted batches not yet in an anchor.', 'gauge');
  readonly ingestLatency = new Histogram('outpost_relay_ingest_seconds', 'Time to verify and durably store a batch.');
  // Where the time goes (saturation): an operator sees which part is busy, and the relay bench splits its CPU with these.
  readonly storeStatements = new Family('outpost_relay_store_statements_total', 'SQL statements sent to the store (transaction control included).', 'counter');
  readonly storeBusy = new Family('outpost_relay_store_busy_seconds_total', 'Time with at least one statement in flight to the store (on PGlite, the main thread running it).', 'counter');
  readonly verifyBusy = new Family('outpost_relay_verify_busy_seconds_total', 'Time the verification threads spent in checks, by check (proofs, recover).', 'counter');
  readonly proofChecks = new Family('outpost_relay_proof_checks_total', 'Groth16 checks run (each combines the proofs waiting at the time).', 'counter');
  readonly proofsChecked = new Family('outpost_relay_proofs_checked_total', 'Groth16 proofs checked (divided by proof checks: the mean combination size).', 'counter');

  render(): string {
    return [
      ...this.requests.render(),
      ...this.accepted.render(),
      ...this.readings.render(),
      ...this.rejected.render(),
      ...this.anchors.render(),
      ...this.pending.render(),
      ...this.ingestLatency.render(),
      ...this.storeStatements.render(),
      ...this.storeBusy.render(),
      ...this.verifyBusy.render(),
      ...this.proofChecks.render(),
      ...this.proofsChecked.render(),
      '',
    ].join('\n');
  }
}
