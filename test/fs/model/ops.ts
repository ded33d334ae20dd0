/**
 * The operations the differential tests generate, and fast-check arbitraries for them. The namespace
 * is deliberately tiny (three names, three levels) so that random operations collide all the time:
 * renames over existing entries, symlinks through symlinks, links to what was just deleted.
 */

import fc from "fast-check";

export type Op =
  | { op: "writeFile"; path: string; data: string }
  | { op: "appendFile"; path: string; data: string }
  | { op: "readFile"; path: string }
  | { op: "mkdir"; path: string; recursive: boolean; mode: number }
  | { op: "rmdir"; path: string }
  | { op: "unlink"; path: string }
  | { op: "rename"; from: string; to: string }
  | { op: "link"; existing: string; path: string }
  | { op: "symlink"; target: string; path: string }
  | { op: "readlink"; path: string }
  | { op: "stat"; path: string }
  | { op: "lstat"; path: string }
  | { op: "readdir"; path: string }
  | { op: "truncate"; path: string; size: number }
  | { op: "chmod"; path: string; mode: number };

/** What an operation returned: a normalised value, or the errno name it failed with. */
export type Outcome = { ok: true; value?: unknown } | { ok: false; code: string };

/** `stat` as the tests compare it: what POSIX pins down, not timestamps or inode numbers. */
export interface NormStat {
  type: "file" | "directory" | "symlink";
  /** Bytes of a file, or of a symlink's target; directories' sizes are filesystem-specific. */
  size?: number;
  nlink: number;
  /** Permission bits only. */
  mode: number;
}

/** Anything the differential tests can drive: the VFS, the memfs-backed model, the host's fs. */
export interface FsTarget {
  apply(op: Op): Promise<Outcome>;
  /** Inode number of `path` (not following a symlink), to compare hard-link structure. */
  inode(path: string): Promise<number>;
}

const NAMES = ["a", "b", "c"] as const;

const component = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(".", "..") },
);

function render(parts: string[], slash: boolean): string {
  return `/${parts.join("/")}${slash && parts.length > 0 ? "/" : ""}`;
}

/** One to three components, short paths first: deep ones mostly do not exist. */
function partsArb(part: fc.Arbitrary<string>, last = part): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(last) },
    { weight: 4, arbitrary: fc.tuple(part, last) },
    { weight: 2, arbitrary: fc.tuple(part, part, last) },
  );
}

/** An absolute path, now and then with `.`/`..`, a trailing slash, or just `/`. */
export const pathArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 40, arbitrary: fc.tuple(partsArb(component), slashArb()) },
    { weight: 1, arbitrary: fc.constant<[string[], boolean]>([[], false]) },
  )
  .map(([parts, slash]) => render(parts, slash));

/** Where links and renames go: often a fourth name, `d`, which the setup never creates. */
const destArb: fc.Arbitrary<string> = fc
  .tuple(partsArb(component, fc.oneof(component, fc.constant("d"))), slashArb())
  .map(([parts, slash]) => render(parts, slash));

/** Paths of plain names only (recursive mkdir is lexical in Node and not worth modelling with `..`). */
const plainPathArb = fc
  .tuple(partsArb(fc.constantFrom(...NAMES)), slashArb())
  .map(([parts, slash]) => render(parts, slash));

function slashArb(): fc.Arbitrary<boolean> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
}

/** Symlink targets: absolute, relative (with `..`), the link's own name (a loop), `.`. */
export const targetArb: fc.Arbitrary<string> = fc.oneof(
  plainPathArb.map((p) => p.replace(/\/$/, "")),
  fc
    .array(fc.constantFrom(...NAMES, "..", ".."), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.join("/")),
  fc.constantFrom(".", "/"),
);

export const dataArb = fc.constantFrom("", "x", "hello", "0123456789abcdef", "y".repeat(100));

const permArb = fc.constantFrom(0o644, 0o600, 0o755, 0o700, 0o444, 0o777);

/** One operation; weights favour the ones that build and reshape the tree. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("writeFile"), path: pathArb, data: dataArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("appendFile"), path: pathArb, data: dataArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("readFile"), path: pathArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("mkdir"),
      path: pathArb,
      recursive: fc.constant(false),
      mode: fc.constantFrom(0o755, 0o700, 0o777),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("mkdir"),
      path: plainPathArb,
      recursive: fc.constant(true),
      mode: fc.constantFrom(0o755, 0o777),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("rmdir"), path: pathArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("unlink"), path: pathArb }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("rename"), from: pathArb, to: destArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("link"), existing: pathArb, path: destArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("symlink"), target: targetArb, path: destArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("readlink"), path: pathArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("stat"), path: pathArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("lstat"), path: pathArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("readdir"), path: pathArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("truncate"), path: pathArb, size: fc.constantFrom(0, 1, 3, 20) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("chmod"), path: pathArb, mode: permArb }) },
) as fc.Arbitrary<Op>;

/** A few creations first, so that the random operations after them find something to work on. */
const setupArb: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    fc.record({
      op: fc.constant("mkdir" as const),
      path: plainPathArb,
      recursive: fc.constant(true),
      mode: fc.constant(0o755),
    }),
    fc.record({ op: fc.constant("writeFile" as const), path: plainPathArb, data: dataArb }),
  ),
  { minLength: 2, maxLength: 6 },
);

/** A sequence of operations, about twenty on average. */
export const opsArb: fc.Arbitrary<Op[]> = fc
  .tuple(setupArb, fc.array(opArb, { minLength: 8, maxLength: 30 }))
  .map(([setup, ops]) => [...setup, ...ops]);

/** The differential test's number of sequences; `FS_FUZZ_RUNS` overrides it. */
export const DEFAULT_RUNS = 2000;

/**
 * How many runs a property makes: `defaultRuns`, scaled by `FS_FUZZ_RUNS / DEFAULT_RUNS`, so one
 * variable lengthens every property for a longer local session (`FS_FUZZ_RUNS=20000` → ten times).
 */
export function fuzzRuns(defaultRuns: number): number {
  const env = Number(process.env.FS_FUZZ_RUNS);
  if (!Number.isFinite(env) || env <= 0) return defaultRuns;
  return Math.max(1, Math.round((defaultRuns * env) / DEFAULT_RUNS));
}

/** fast-check parameters: `numRuns`, and `FS_FUZZ_SEED` to replay a failure fast-check reported. */
export function fuzzParams(numRuns: number): { numRuns: number; seed?: number; endOnFailure: false } {
  const seed = process.env.FS_FUZZ_SEED;
  return seed ? { numRuns, seed: Number(seed), endOnFailure: false } : { numRuns, endOnFailure: false };
}

/** The paths an operation names, any of which its error message must mention. */
export function pathsOf(op: Op): string[] {
  switch (op.op) {
    case "rename":
      return [op.from, op.to];
    case "link":
      return [op.existing, op.path];
    default:
      return [op.path];
  }
}

export function describeOp(op: Op): string {
  const { op: name, ...args } = op;
  return `${name}(${Object.values(args)
    .map((v) =>
      typeof v === "number" && v > 7 && name !== "truncate" ? `0o${v.toString(8)}` : JSON.stringify(v),
    )
    .join(", ")})`;
}

/** Build a NormStat with a fixed key order, so outcomes compare as JSON. */
export function normStat(type: NormStat["type"], size: number, nlink: number, mode: number): NormStat {
  return type === "directory"
    ? { type, nlink, mode: mode & 0o7777 }
    : { type, size, nlink, mode: mode & 0o7777 };
}

/** Compare outcomes; a mismatch message shows both. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function showOutcome(o: Outcome): string {
  return o.ok ? `ok ${o.value === undefined ? "" : JSON.stringify(o.value)}` : o.code;
}
