/**
 * Layers: forks share frozen layers and diverge by copy-up and whiteouts. Random operation sequences
 * interleaved with `fork()` must leave every VM behaving like an independent copy (each is compared
 * with its own Linux model, rebuilt by replaying its history), and targeted tests pin down whiteouts,
 * directory copy-up, hard links across copy-up and unlinked-but-open files.
 */

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Vfs } from "../../src/fs/vfs.ts";
import { AgentOS } from "../../src/vm.ts";
import { dumpTree, runBoth, shape } from "./model/compare.ts";
import { LinuxModel } from "./model/linux-model.ts";
import { fuzzParams, fuzzRuns, type Op, opArb, opsArb } from "./model/ops.ts";
import { VfsTarget, type VfsTargetOptions } from "./model/vfs-target.ts";

type Step = { vm: number; op: Op } | { fork: number };

const RUNS = fuzzRuns(300);
const MAX_VMS = 4;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

const stepsArb: fc.Arbitrary<Step[]> = fc
  .tuple(
    opsArb,
    fc.array(
      fc.oneof(
        { weight: 1, arbitrary: fc.record({ fork: fc.nat(MAX_VMS - 1) }) },
        { weight: 9, arbitrary: fc.record({ vm: fc.nat(MAX_VMS - 1), op: opArb }) },
      ),
      { minLength: 10, maxLength: 40 },
    ),
  )
  .map(([setup, steps]) => [...setup.map((op) => ({ vm: 0, op })), ...steps]);

interface Copy {
  vm: AgentOS;
  target: VfsTarget;
  model: LinuxModel;
  history: Op[];
}

async function replay(history: readonly Op[]): Promise<LinuxModel> {
  const model = new LinuxModel();
  for (const op of history) await model.apply(op);
  return model;
}

/** Bytes and inodes in use beyond what a fresh VM has, against what the tree shows. */
async function expectUsageMatches(copy: Copy, fresh: { bytes: number; inodes: number }): Promise<void> {
  const sizes = new Map<number, number>();
  for (const e of await dumpTree(copy.target)) sizes.set(e.ino, e.stat.type === "file" ? e.stat.size! : 0);
  let bytes = 0;
  for (const s of sizes.values()) bytes += s;
  expect(copy.vm.fs.inodes.usage).toEqual({ bytes: fresh.bytes + bytes, inodes: fresh.inodes + sizes.size });
}

let fresh: AgentOS;
/** Hides the base image's root entries from listings, so the models see only the test's names. */
let hideBase: VfsTargetOptions;
beforeAll(async () => {
  fresh = await AgentOS.create();
  hideBase = await VfsTarget.hidingRootOf(fresh.fs);
});
afterAll(async () => {
  await fresh.dispose();
});

describe("forks behave as independent copies", () => {
  it(`under ${RUNS} random sequences with forks at random points`, async () => {
    const freshUsage = { ...fresh.fs.inodes.usage };
    await fc.assert(
      fc.asyncProperty(stepsArb, async (steps) => {
        const root = await AgentOS.create();
        const copies: Copy[] = [
          { vm: root, target: new VfsTarget(root.fs, hideBase), model: new LinuxModel(), history: [] },
        ];
        try {
          for (const [i, step] of steps.entries()) {
            if ("fork" in step) {
              if (copies.length === MAX_VMS) continue;
              const from = copies[step.fork % copies.length]!;
              const vm = await from.vm.fork();
              const target = new VfsTarget(vm.fs, hideBase);
              copies.push({ vm, target, model: await replay(from.history), history: [...from.history] });
              continue;
            }
            const c = copies[step.vm % copies.length]!;
            c.history.push(step.op);
            await runBoth(c.model, c.target, [step.op], {
              label: `VM ${step.vm % copies.length} (step ${i})`,
            });
          }
          for (const c of copies) {
            expect(shape(await dumpTree(c.target))).toEqual(shape(await dumpTree(c.model)));
            await expectUsageMatches(c, freshUsage);
          }
        } finally {
          for (const c of copies) await c.vm.dispose();
        }
      }),
      fuzzParams(RUNS),
    );
  });
});

describe("whiteouts", () => {
  it("a file deleted over a lower layer stays deleted, and can be re-created or renamed onto", async () => {
    const parent = await AgentOS.create();
    await parent.writeFile("/workspace/f", "lower");
    await parent.writeFile("/workspace/g", "other");
    const child = await parent.fork();
    await child.delete("/etc/hostname"); // lives in the base image
    await child.delete("/workspace/f"); // lives in the fork's frozen layer
    for (const path of ["/etc/hostname", "/workspace/f"]) {
      expect(await child.exists(path)).toBe(false);
      await expect(child.readFile(path)).rejects.toMatchObject({ code: "ENOENT" });
    }
    expect(await child.readdir("/workspace")).toEqual(["g"]);
    // A fork of the child keeps the whiteout.
    const grandchild = await child.fork();
    expect(await grandchild.readdir("/workspace")).toEqual(["g"]);
    expect(await grandchild.exists("/etc/hostname")).toBe(false);
    // Re-created: a new file, listed once.
    await child.writeFile("/workspace/f", "new");
    expect(text(await child.readFile("/workspace/f"))).toBe("new");
    expect(await child.readdir("/workspace")).toEqual(["f", "g"]);
    // Renamed away and onto: the lower entry never comes back.
    await child.move("/workspace/f", "/workspace/h");
    await child.move("/workspace/g", "/workspace/f");
    expect(await child.readdir("/workspace")).toEqual(["f", "h"]);
    expect(text(await child.readFile("/workspace/f"))).toBe("other");
    await child.delete("/workspace/f");
    expect(await child.readdir("/workspace")).toEqual(["h"]);
    // The other VMs see none of it.
    expect(await parent.readdir("/workspace")).toEqual(["f", "g"]);
    expect(text(await parent.readFile("/workspace/f"))).toBe("lower");
    expect(await parent.exists("/etc/hostname")).toBe(true);
    expect(await grandchild.readdir("/workspace")).toEqual(["g"]);
    for (const vm of [parent, child, grandchild]) await vm.dispose();
  });

  it("a lower directory emptied through whiteouts can be removed, and a new one is empty", async () => {
    const parent = await AgentOS.create();
    await parent.mkdir("/workspace/d/sub", { recursive: true });
    await parent.writeFile("/workspace/d/a", "1");
    const child = await parent.fork();
    await expect(child.fs.rmdir("/workspace/d")).rejects.toMatchObject({ code: "ENOTEMPTY" });
    await child.delete("/workspace/d/a");
    await child.fs.rmdir("/workspace/d/sub");
    await child.fs.rmdir("/workspace/d");
    await child.mkdir("/workspace/d");
    expect(await child.readdir("/workspace/d")).toEqual([]);
    expect(await parent.readdir("/workspace/d")).toEqual(["a", "sub"]);
    await parent.dispose();
    await child.dispose();
  });
});

describe("copy-up", () => {
  it("copies a directory up without losing or leaking entries", async () => {
    const parent = await AgentOS.create();
    await parent.mkdir("/workspace/d");
    for (const n of ["a", "b", "c"]) await parent.writeFile(`/workspace/d/${n}`, n);
    const child = await parent.fork();
    await child.writeFile("/workspace/d/z", "z");
    await child.delete("/workspace/d/b");
    await child.move("/workspace/d", "/workspace/e");
    expect(await child.readdir("/workspace/e")).toEqual(["a", "c", "z"]);
    expect((await child.stat("/workspace/e")).nlink).toBe(2);
    await parent.writeFile("/workspace/d/p", "p");
    expect(await parent.readdir("/workspace/d")).toEqual(["a", "b", "c", "p"]);
    expect(await child.readdir("/workspace/e")).toEqual(["a", "c", "z"]);
    await parent.dispose();
    await child.dispose();
  });

  it("keeps hard links one inode: a write through one name shows through the other", async () => {
    const parent = await AgentOS.create();
    await parent.writeFile("/workspace/f", "before");
    await parent.fs.link("/workspace/f", "/workspace/g");
    const child = await parent.fork();
    await child.writeFile("/workspace/g", "after, longer");
    expect(text(await child.readFile("/workspace/f"))).toBe("after, longer");
    const [sf, sg] = [await child.stat("/workspace/f"), await child.stat("/workspace/g")];
    expect(sf.ino).toBe(sg.ino);
    expect(sf.nlink).toBe(2);
    await child.fs.chmod("/workspace/f", 0o600);
    expect((await child.stat("/workspace/g")).mode & 0o777).toBe(0o600);
    await child.delete("/workspace/f");
    expect((await child.stat("/workspace/g")).nlink).toBe(1);
    expect(text(await parent.readFile("/workspace/f"))).toBe("before");
    expect((await parent.stat("/workspace/g")).nlink).toBe(2);
    await parent.dispose();
    await child.dispose();
  });
});

describe("open files", () => {
  async function openRead(fs: Vfs, path: string) {
    return fs.open(path, { read: true, write: true });
  }

  it("an unlinked open file still reads (and writes) until closed, then its space is freed", async () => {
    const vm = await AgentOS.create();
    await vm.writeFile("/workspace/f", "still here");
    const before = { ...vm.fs.inodes.usage };
    const f = await openRead(vm.fs, "/workspace/f");
    await vm.delete("/workspace/f");
    expect(await vm.exists("/workspace/f")).toBe(false);
    expect(text(await f.read(100, 0))).toBe("still here");
    await f.write(new TextEncoder().encode("STILL"), 0);
    expect(text(await f.read(100, 0))).toBe("STILL here");
    expect((await f.stat()).nlink).toBe(0);
    expect(vm.fs.inodes.usage).toEqual(before);
    f.close();
    expect(vm.fs.inodes.usage).toEqual({ bytes: before.bytes - 10, inodes: before.inodes - 1 });
    await vm.dispose();
  });

  it("an open file survives a fork on both sides, and writes through it stay on its side", async () => {
    const parent = await AgentOS.create();
    await parent.writeFile("/workspace/f", "shared");
    const f = await openRead(parent.fs, "/workspace/f");
    const child = await parent.fork();
    await f.write(new TextEncoder().encode("SHARED"), 0);
    expect(text(await parent.readFile("/workspace/f"))).toBe("SHARED");
    expect(text(await child.readFile("/workspace/f"))).toBe("shared");
    await parent.delete("/workspace/f");
    const child2 = await parent.fork();
    expect(text(await f.read(100, 0))).toBe("SHARED");
    expect(await child2.exists("/workspace/f")).toBe(false);
    f.close();
    expect(await parent.exists("/workspace/f")).toBe(false);
    expect(text(await child.readFile("/workspace/f"))).toBe("shared");
    for (const vm of [parent, child, child2]) await vm.dispose();
  });

  // Known bug, reported: a file unlinked but still open in the parent when it forks stays in the
  // frozen layer with nlink 0; the child can never free it, so it counts against the child's limits
  // and is written into the child's snapshots. When fixed, make this an ordinary `it`.
  it.fails("a fork does not inherit the parent's unlinked-but-open files", async () => {
    const parent = await AgentOS.create();
    const before = { ...parent.fs.inodes.usage };
    await parent.writeFile("/workspace/f", "x".repeat(1000));
    const f = await openRead(parent.fs, "/workspace/f");
    await parent.delete("/workspace/f");
    const child = await parent.fork();
    f.close();
    try {
      expect(parent.fs.inodes.usage).toEqual(before);
      expect(child.fs.inodes.usage).toEqual(before);
    } finally {
      await parent.dispose();
      await child.dispose();
    }
  });
});
