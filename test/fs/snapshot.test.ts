/**
 * Snapshots: random trees survive snapshot → restore unchanged, whatever the snapshot is a delta
 * against (the base image, nothing, an earlier restored layer) and for forked VMs; damaged snapshots
 * fail with the right `SnapshotError` code and restore nothing; identical contents are stored once.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readLayerHeader } from "../../src/fs/layer-codec.ts";
import { findLayer } from "../../src/fs/registry.ts";
import { decodeContainer, encodeContainer, SnapshotError } from "../../src/fs/snapshot.ts";
import { AgentOS, type SnapshotOptions } from "../../src/vm.ts";
import { fuzzParams, fuzzRuns } from "./model/ops.ts";
import { type BuildStep, build, buildStepsArb, pseudoRandomBytes, walkVm } from "./model/trees.ts";

const RUNS = fuzzRuns(40);
const ROOT = "/workspace/t";

/** Snapshot `vm`, restore it, and check that the restored VM holds exactly the same tree. */
async function roundTrip(vm: AgentOS, options: SnapshotOptions): Promise<AgentOS> {
  const bytes = await vm.snapshot(options);
  const restored = await AgentOS.restore(bytes);
  expect(await walkVm(restored.fs)).toEqual(await walkVm(vm.fs));
  expect(restored.fs.inodes.usage).toEqual(vm.fs.inodes.usage);
  return restored;
}

async function withVms<T>(fn: (track: (vm: AgentOS) => AgentOS) => Promise<T>): Promise<T> {
  const vms: AgentOS[] = [];
  try {
    return await fn((vm) => {
      vms.push(vm);
      return vm;
    });
  } finally {
    for (const vm of vms) await vm.dispose();
  }
}

const steps = buildStepsArb(ROOT);
const reshape = buildStepsArb(ROOT, true);

describe("snapshot round-trip", () => {
  it(`restores ${RUNS} random trees exactly, against the base image and self-contained`, async () => {
    await fc.assert(
      fc.asyncProperty(steps, (s: BuildStep[]) =>
        withVms(async (track) => {
          const vm = track(await AgentOS.create());
          await build(vm.fs, ROOT, s);
          track(await roundTrip(vm, { against: "base" }));
          track(await roundTrip(vm, { against: "none" }));
        }),
      ),
      fuzzParams(RUNS),
    );
  });

  it(`restores ${RUNS} incremental snapshots against a restored VM's layer`, async () => {
    await fc.assert(
      fc.asyncProperty(steps, reshape, (first: BuildStep[], second: BuildStep[]) =>
        withVms(async (track) => {
          const vm = track(await AgentOS.create());
          await build(vm.fs, ROOT, first);
          const restored = track(await roundTrip(vm, {}));
          await build(restored.fs, ROOT, second);
          const delta = await restored.snapshot({ against: restored.layerId });
          expect(readLayerHeader(decodeContainer(delta)).parentId).toBe(restored.layerId);
          const next = track(await AgentOS.restore(delta));
          expect(await walkVm(next.fs)).toEqual(await walkVm(restored.fs));
          // …and the chain goes on: a delta against the delta.
          await build(next.fs, ROOT, second.slice().reverse());
          track(await roundTrip(next, { against: next.layerId }));
        }),
      ),
      fuzzParams(RUNS),
    );
  });

  it(`restores ${RUNS} forked VMs that diverged from their parent`, async () => {
    await fc.assert(
      fc.asyncProperty(steps, reshape, (first: BuildStep[], second: BuildStep[]) =>
        withVms(async (track) => {
          const parent = track(await AgentOS.create());
          await build(parent.fs, ROOT, first);
          const child = track(await parent.fork());
          await build(child.fs, ROOT, second);
          await build(parent.fs, ROOT, second.slice(0, 3));
          for (const against of ["base", "none", child.layerId] as const) {
            track(await roundTrip(child, { against }));
          }
          track(await roundTrip(parent, { against: "base" }));
        }),
      ),
      fuzzParams(RUNS),
    );
  });

  it("gives hard links one inode after a restore, and restores of one snapshot are independent", async () => {
    await withVms(async (track) => {
      const vm = track(await AgentOS.create());
      await vm.writeFile("/workspace/f", "one");
      await vm.fs.link("/workspace/f", "/workspace/g");
      const bytes = await vm.snapshot();
      const [r1, r2] = [track(await AgentOS.restore(bytes)), track(await AgentOS.restore(bytes))];
      await r1.writeFile("/workspace/g", "two");
      expect(await r1.readFile("/workspace/f", { encoding: "utf8" })).toBe("two");
      expect((await r1.stat("/workspace/f")).ino).toBe((await r1.stat("/workspace/g")).ino);
      expect(await r2.readFile("/workspace/f", { encoding: "utf8" })).toBe("one");
      expect(await vm.readFile("/workspace/g", { encoding: "utf8" })).toBe("one");
    });
  });
});

describe("snapshot bytes", () => {
  it("are not aliased by the restored VM: the caller may reuse its buffer", async () => {
    await withVms(async (track) => {
      const vm = track(await AgentOS.create());
      await vm.writeFile("/workspace/f", "original content");
      const bytes = await vm.snapshot();
      const restored = track(await AgentOS.restore(bytes));
      bytes.fill(0x41);
      expect(await restored.readFile("/workspace/f", { encoding: "utf8" })).toBe("original content");
    });
  });
});

/** The section table: tag, offset, length of each section, as snapshot.ts lays it out. */
function sections(bytes: Uint8Array): Array<{ tag: string; offset: number; length: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = [];
  for (let i = 0; i < view.getUint32(12, true); i++) {
    const at = 24 + i * 24;
    out.push({
      tag: String.fromCharCode(...bytes.subarray(at, at + 4)),
      offset: Number(view.getBigUint64(at + 8, true)),
      length: Number(view.getBigUint64(at + 16, true)),
    });
  }
  return out;
}

/** Restore `bytes`, expecting a SnapshotError with `code`, and that no layer was left registered. */
async function expectRejected(bytes: Uint8Array, code: string, layerId: string): Promise<void> {
  const err = await AgentOS.restore(bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `restore of damaged bytes should fail with ${code}`).toBeInstanceOf(SnapshotError);
  expect((err as SnapshotError).code).toBe(code);
  expect(findLayer(layerId)).toBeUndefined();
}

describe("damaged snapshots", () => {
  async function sample(): Promise<{ bytes: Uint8Array; layerId: string }> {
    const vm = await AgentOS.create();
    await vm.mkdir("/workspace/d");
    await vm.writeFile("/workspace/d/f", pseudoRandomBytes(3000, 1));
    await vm.fs.symlink("d/f", "/workspace/l");
    await vm.delete("/etc/hostname");
    const bytes = await vm.snapshot();
    await vm.dispose();
    return { bytes, layerId: readLayerHeader(decodeContainer(bytes)).layerId };
  }

  it("fails with ESNAPSHOT_TRUNCATED when cut short anywhere", async () => {
    const { bytes, layerId } = await sample();
    for (let length = 8; length < bytes.length; length += length < 200 ? 1 : 37) {
      await expectRejected(bytes.subarray(0, length), "ESNAPSHOT_TRUNCATED", layerId);
    }
    await expectRejected(new Uint8Array(0), "ESNAPSHOT_FORMAT", layerId);
  });

  // Known bug, reported: shorter than its 8-byte magic, a cut-short snapshot is called "not a
  // snapshot" (ESNAPSHOT_FORMAT). When decodeContainer is fixed, make this an ordinary `it`.
  it("fails with ESNAPSHOT_TRUNCATED when cut inside the magic", async () => {
    const { bytes, layerId } = await sample();
    for (let length = 1; length < 8; length++) {
      await expectRejected(bytes.subarray(0, length), "ESNAPSHOT_TRUNCATED", layerId);
    }
  });

  it("fails with ESNAPSHOT_CHECKSUM when a byte flips in any section, the table or the trailer", async () => {
    const { bytes, layerId } = await sample();
    const table = sections(bytes);
    expect(table.map((s) => s.tag)).toEqual(["META", "FSLY", "INOD", "BLOB", "SESS"]);
    const offsets = [12, 24, 30, bytes.length - 1, bytes.length - 32];
    for (const s of table) offsets.push(s.offset, s.offset + (s.length >> 1), s.offset + s.length - 1);
    for (const at of offsets) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const copy = bytes.slice();
        copy[at]! ^= mask;
        await expectRejected(copy, "ESNAPSHOT_CHECKSUM", layerId);
      }
    }
  });

  it("fails with ESNAPSHOT_FORMAT on a wrong magic and ESNAPSHOT_VERSION on a wrong version", async () => {
    const { bytes, layerId } = await sample();
    const magic = bytes.slice();
    magic[0] = 0x42;
    await expectRejected(magic, "ESNAPSHOT_FORMAT", layerId);
    await expectRejected(
      new TextEncoder().encode("PK\x03\x04 a zip file, not a snapshot at all"),
      "ESNAPSHOT_FORMAT",
      layerId,
    );
    for (const version of [0, 2, 0xffffffff]) {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32(8, version, true);
      await expectRejected(copy, "ESNAPSHOT_VERSION", layerId);
    }
  });

  it("fails with ESNAPSHOT_BASE_MISSING on a delta against a layer this process does not have", async () => {
    const { bytes, layerId } = await sample();
    const parts = decodeContainer(bytes);
    const header = { ...readLayerHeader(parts), parentId: "L-not-in-this-process" };
    const forged = encodeContainer(
      [...parts].map(([tag, data]) => ({
        tag,
        data: tag === "FSLY" ? new TextEncoder().encode(JSON.stringify(header)) : data,
      })),
    );
    await expectRejected(forged, "ESNAPSHOT_BASE_MISSING", layerId);
  });

  it("fails with ESNAPSHOT_CORRUPT, building nothing, when a checksummed body is inconsistent", async () => {
    const { bytes, layerId } = await sample();
    const parts = decodeContainer(bytes);
    const inod = parts.get("INOD")!.slice();
    new DataView(inod.buffer).setUint32(0, 0xffff, true); // claims far more inodes than it holds
    const forged = encodeContainer(
      [...parts].map(([tag, data]) => ({ tag, data: tag === "INOD" ? inod : data })),
    );
    await expectRejected(forged, "ESNAPSHOT_CORRUPT", layerId);
  });
});

describe("content addressing", () => {
  it("stores 100 identical 100 KB files once", async () => {
    await withVms(async (track) => {
      const vm = track(await AgentOS.create());
      const empty = {
        base: (await vm.snapshot()).length,
        none: (await vm.snapshot({ against: "none" })).length,
      };
      const content = pseudoRandomBytes(100 * 1024, 42);
      for (let i = 0; i < 100; i++) await vm.writeFile(`/workspace/copy-${i}`, content);
      for (const against of ["base", "none"] as const) {
        const bytes = await vm.snapshot({ against });
        // One copy of the content, plus about a hundred bytes of metadata per file.
        expect(bytes.length - empty[against]).toBeGreaterThan(100 * 1024);
        expect(bytes.length - empty[against]).toBeLessThan(100 * 1024 + 16 * 1024);
        const restored = track(await AgentOS.restore(bytes));
        expect(await restored.readFile("/workspace/copy-99")).toEqual(content);
      }
    });
  });
});
