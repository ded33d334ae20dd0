/**
 * Differential tests: random operation sequences over a tiny namespace, applied to the VFS and to a
 * Linux model (memfs storage, Linux path resolution and error order: see model/linux-model.ts), with
 * every step's result and the final tree compared. A second property checks the model itself against
 * the host's real filesystem when the host is Linux and we are root, so the model cannot drift.
 *
 * `FS_FUZZ_RUNS=20000 npx vitest run test/fs/differential.test.ts` for a longer session;
 * `FS_FUZZ_SEED=<seed>` replays a failure that fast-check reported.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyRootLayer } from "../../src/fs/base-image.ts";
import { Vfs } from "../../src/fs/vfs.ts";
import { dumpTree, runBoth, shape, type TreeEntry } from "./model/compare.ts";
import { HostTarget } from "./model/host-target.ts";
import { LinuxModel } from "./model/linux-model.ts";
import { DEFAULT_RUNS, fuzzParams, fuzzRuns, type Op, opsArb } from "./model/ops.ts";
import { VfsTarget } from "./model/vfs-target.ts";

const RUNS = fuzzRuns(DEFAULT_RUNS);
const HOST_RUNS = fuzzRuns(500);

/** The VFS keeps running totals for its limits; they must match what is actually in the tree. */
function expectUsageMatches(vfs: Vfs, tree: TreeEntry[]): void {
  const inodes = new Map<number, number>();
  for (const e of tree) inodes.set(e.ino, e.stat.type === "file" ? e.stat.size! : 0);
  let bytes = 0;
  for (const size of inodes.values()) bytes += size;
  // +1: the root directory, which the walk does not list.
  expect(vfs.inodes.usage).toEqual({ bytes, inodes: inodes.size + 1 });
}

describe("Vfs against the Linux model", () => {
  it(`agrees on every step of ${RUNS} random sequences`, async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops: Op[]) => {
        const vfs = new Vfs(emptyRootLayer());
        const target = new VfsTarget(vfs);
        const model = new LinuxModel();
        await runBoth(model, target, ops, { label: "Vfs" });
        const tree = await dumpTree(target);
        expect(shape(tree)).toEqual(shape(await dumpTree(model)));
        expectUsageMatches(vfs, tree);
      }),
      fuzzParams(RUNS),
    );
  });

  it("agrees on a scripted sequence through every operation", async () => {
    const ops: Op[] = [
      { op: "mkdir", path: "/a", recursive: false, mode: 0o755 },
      { op: "mkdir", path: "/a/b/c", recursive: true, mode: 0o755 },
      { op: "writeFile", path: "/a/b/f", data: "hello" },
      { op: "appendFile", path: "/a/b/f", data: "x" },
      { op: "link", existing: "/a/b/f", path: "/a/h" },
      { op: "symlink", target: "b/c", path: "/a/l" },
      { op: "symlink", target: "/a/l/..", path: "/b" },
      { op: "readdir", path: "/b" },
      { op: "stat", path: "/b/f" },
      { op: "rename", from: "/a/h", to: "/a/b/f" },
      { op: "rename", from: "/a", to: "/a/b/c/d" },
      { op: "rename", from: "/a/b/c", to: "/c" },
      { op: "truncate", path: "/a/h", size: 20 },
      { op: "readFile", path: "/a/b/f" },
      { op: "chmod", path: "/a/l", mode: 0o700 },
      { op: "lstat", path: "/c" },
      { op: "readlink", path: "/b" },
      { op: "rmdir", path: "/a/b" },
      { op: "unlink", path: "/a/b/f" },
      { op: "rmdir", path: "/c" },
    ];
    const vfs = new Vfs(emptyRootLayer());
    const target = new VfsTarget(vfs);
    const model = new LinuxModel();
    await runBoth(model, target, ops, { label: "Vfs" });
    expect(shape(await dumpTree(target))).toEqual(shape(await dumpTree(model)));
  });
});

const hostIsLinuxRoot = process.platform === "linux" && process.getuid?.() === 0;

describe.runIf(hostIsLinuxRoot)("the Linux model against the host's filesystem", () => {
  it(`agrees with Linux on ${HOST_RUNS} random sequences`, async () => {
    const umask = process.umask(0);
    try {
      await fc.assert(
        fc.asyncProperty(opsArb, async (ops: Op[]) => {
          const host = new HostTarget();
          try {
            const model = new LinuxModel();
            const complete = await runBoth(model, host, ops, { hostLimits: true, label: "host Linux" });
            if (complete) expect(shape(await dumpTree(host))).toEqual(shape(await dumpTree(model)));
          } finally {
            host.dispose();
          }
        }),
        fuzzParams(HOST_RUNS),
      );
    } finally {
      process.umask(umask);
    }
  });
});
