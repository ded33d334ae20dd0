/**
 * A tiny benchmark helper shared by bench/*.bench.ts: runs a function repeatedly and reports
 * milliseconds per operation.
 */

export interface BenchOptions {
  /** Timed runs of `fn`. Default 100. */
  iterations?: number;
  /** Untimed runs first (JIT, caches, pools). Default 10. */
  warmup?: number;
  /** Operations each run of `fn` performs; times are divided by it (for sub-µs operations). Default 1. */
  batch?: number;
}

export interface BenchResult {
  name: string;
  /** Milliseconds per operation. */
  median: number;
  p95: number;
  min: number;
  /** Timed runs. */
  n: number;
  /** Free text for the table, e.g. a throughput. */
  note?: string;
}

export async function bench(
  name: string,
  fn: () => unknown | Promise<unknown>,
  options: BenchOptions = {},
): Promise<BenchResult> {
  const { iterations = 100, warmup = 10, batch = 1 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn();
    samples.push((performance.now() - started) / batch);
  }
  return summarize(name, samples);
}

/** Statistics of samples measured by hand (when only part of each run should be timed). */
export function summarize(name: string, samples: readonly number[]): BenchResult {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { name, median: at(0.5), p95: at(0.95), min: sorted[0]!, n: sorted.length };
}

function formatMs(ms: number): string {
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  return `${ms.toFixed(2)} ms`;
}

export function printTable(results: readonly BenchResult[]): void {
  const rows = [
    ["benchmark", "median", "p95", "min", "n", ""],
    ...results.map((r) => [
      r.name,
      formatMs(r.median),
      formatMs(r.p95),
      formatMs(r.min),
      String(r.n),
      r.note ?? "",
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const [i, row] of rows.entries()) {
    console.log(
      row
        .map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join("  "),
    );
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}
