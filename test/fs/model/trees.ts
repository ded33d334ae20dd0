/**
 * Random file trees for snapshot round-trips: files of random bytes (empty, small, duplicated,
 * 1 MB), directories, symlinks, hard links, modes, owners and times. `walkVm` records everything a
 * snapshot must preserve, so two VMs can be compared whole.
 */

import { createHash } from "node:crypto";
import fc from "fast-check";
import { FsError } from "../../../src/fs/errors.ts";
import type { Vfs } from "../../../src/fs/vfs.ts";

export type Content =
  | { kind: "bytes"; bytes: Uint8Array }
  /** One of a few shared contents, so the snapshot's blob table deduplicates. */
  | { kind: "shared"; which: number }
  | { kind: "large"; size: number; seed: number };

export type BuildStep =
  | { op: "mkdir"; path: string }
  | { op: "write"; path: string; content: Content }
  | { op: "symlink"; target: string; path: string }
  | { op: "link"; existing: string; path: string }
  | { op: "chmod"; path: string; mode: number }
  | { op: "chown"; path: string; uid: number; gid: number }
  | { op: "remove"; path: string }
  | { op: "rename"; from: string; to: string }
  | { op: "utimes"; path: string; atimeMs: number; mtimeMs: number };

/** Deterministic pseudo-random bytes (xorshift32): a megabyte without a megabyte of generator state. */
export function pseudoRandomBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const SHARED = [new Uint8Array(0), new TextEncoder().encode("same\n"), pseudoRandomBytes(5000, 7)];

export function contentBytes(c: Content): Uint8Array {
  if (c.kind === "bytes") return c.bytes;
  if (c.kind === "shared") return SHARED[c.which % SHARED.length]!;
  return pseudoRandomBytes(c.size, c.seed);
}

/** A path below `root`: up to two directories (`a`, `b`), then a name from `last`. */
const pathUnder = (root: string, ...last: string[]) =>
  fc
    .tuple(fc.array(fc.constantFrom("a", "b"), { maxLength: 2 }), fc.constantFrom(...last))
    .map(([dirs, name]) => [root, ...dirs, name].join("/"));

const contentArb: fc.Arbitrary<Content> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("shared" as const), which: fc.nat(2) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("large" as const),
      size: fc.constantFrom(1 << 20, (1 << 20) + 3, 70_000),
      seed: fc.integer(),
    }),
  },
);

/** Times as the VFS stores them: milliseconds, with fractions, from 1970 to 2100. */
const timeArb = fc.double({ min: 0, max: 4_102_444_800_000, noNaN: true });

/** Steps that build (and, with `removals`, reshape) a tree below `root`. */
export function buildStepsArb(root: string, removals = false): fc.Arbitrary<BuildStep[]> {
  const dir = pathUnder(root, "a", "b");
  const file = pathUnder(root, "f", "g");
  const link = pathUnder(root, "l", "m");
  const any = pathUnder(root, "a", "b", "f", "g", "l");
  const step: fc.Arbitrary<BuildStep> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant("mkdir" as const), path: dir }) },
    {
      weight: 5,
      arbitrary: fc.record({ op: fc.constant("write" as const), path: file, content: contentArb }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("symlink" as const),
        target: fc.oneof(any, fc.constantFrom("a", "../f", "/etc/passwd", "nowhere", "")),
        path: link,
      }),
    },
    { weight: 6, arbitrary: fc.record({ op: fc.constant("link" as const), existing: file, path: file }) },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("chmod" as const), path: any, mode: fc.nat(0o7777) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("chown" as const),
        path: any,
        uid: fc.nat(70000),
        gid: fc.nat(70000),
      }),
    },
    { weight: removals ? 2 : 0, arbitrary: fc.record({ op: fc.constant("remove" as const), path: any }) },
    {
      weight: removals ? 2 : 0,
      arbitrary: fc.record({ op: fc.constant("rename" as const), from: any, to: any }),
    },
  );
  const times = fc.array(
    fc.record({ op: fc.constant("utimes" as const), path: any, atimeMs: timeArb, mtimeMs: timeArb }),
    { maxLength: 6 },
  );
  // Times last: creating entries would move a directory's mtime again.
  return fc.tuple(fc.array(step, { minLength: 8, maxLength: 30 }), times).map(([s, t]) => [...s, ...t]);
}

/** Apply the steps; the ones that fail (a missing parent, an existing name) are simply skipped. */
export async function build(fs: Vfs, root: string, steps: readonly BuildStep[]): Promise<void> {
  await fs.mkdir(root, { recursive: true });
  for (const s of steps) {
    try {
      switch (s.op) {
        case "mkdir":
          await fs.mkdir(s.path, { recursive: true, mode: 0o755 });
          break;
        case "write":
          await fs.writeFile(s.path, contentBytes(s.content), { createParents: true });
          break;
        case "symlink":
          await fs.symlink(s.target, s.path);
          break;
        case "link":
          await fs.link(s.existing, s.path);
          break;
        case "chmod":
          await fs.chmod(s.path, s.mode, undefined, false);
          break;
        case "chown":
          await fs.chown(s.path, s.uid, s.gid, undefined, false);
          break;
        case "remove":
          if ((await fs.lstat(s.path)).type === "directory") await fs.rmdir(s.path);
          else await fs.unlink(s.path);
          break;
        case "rename":
          await fs.rename(s.from, s.to);
          break;
        case "utimes":
          await fs.utimes(s.path, s.atimeMs, s.mtimeMs, undefined, false);
          break;
      }
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
    }
  }
}

export interface WalkEntry {
  path: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  rdev: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
  /** SHA-256 of a file's content, or a symlink's target. */
  content?: string;
  /** Hard-link group: the first path walked with the same inode. */
  link: string;
}

/** Everything below `root`, not following symlinks, in sorted order. */
export async function walkVm(fs: Vfs, root = "/"): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  const firstPath = new Map<number, string>();
  const visit = async (path: string): Promise<void> => {
    const st = await fs.lstat(path);
    if (!firstPath.has(st.ino)) firstPath.set(st.ino, path);
    const { type, mode, uid, gid, nlink, size, rdev, atimeMs, mtimeMs, ctimeMs, birthtimeMs } = st;
    const e: WalkEntry = {
      path,
      type,
      mode,
      uid,
      gid,
      nlink,
      size,
      rdev,
      atimeMs,
      mtimeMs,
      ctimeMs,
      birthtimeMs,
      link: firstPath.get(st.ino)!,
    };
    if (type === "file")
      e.content = createHash("sha256")
        .update(await fs.readFile(path))
        .digest("hex");
    if (type === "symlink") e.content = await fs.readlink(path);
    out.push(e);
    if (type !== "directory") return;
    const names = (await fs.readdir(path)).map((d) => d.name).sort();
    for (const n of names) await visit(path === "/" ? `/${n}` : `${path}/${n}`);
  };
  await visit(root);
  return out;
}
