import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hostDirMount, memoryMount } from "../../src/fs/mounts/index.ts";
import { AgentOS, FsError, type WatchEvent } from "../../src/index.ts";

const vms: AgentOS[] = [];
async function boot(options?: Parameters<typeof AgentOS.create>[0]) {
  const vm = await AgentOS.create(options);
  vms.push(vm);
  return vm;
}
afterEach(async () => {
  for (const vm of vms.splice(0)) await vm.dispose();
});

describe("AgentOS host filesystem API", () => {
  it("boots with the standard tree and identity files", async () => {
    const vm = await boot();
    expect(await vm.readdir("/")).toEqual(
      expect.arrayContaining(["bin", "etc", "home", "tmp", "usr", "var", "dev"]),
    );
    const passwd = await vm.readFile("/etc/passwd", { encoding: "utf8" });
    expect(passwd).toMatch(/^agentos:x:1000:1000:.*:\/home\/agentos:\/bin\/bash$/m);
    expect((await vm.stat("/tmp")).mode & 0o7777).toBe(0o1777);
    expect((await vm.stat("/home/agentos")).uid).toBe(1000);
    expect(await vm.readdir("/dev")).toEqual(
      expect.arrayContaining(["null", "zero", "urandom", "tty", "stdin"]),
    );
    expect(await vm.exists("/usr/local/bin")).toBe(true);
  });

  it("reads and writes text and bytes, creating parents only when asked", async () => {
    const vm = await boot();
    await vm.writeFile("/home/agentos/a.txt", "héllo");
    expect(await vm.readFile("/home/agentos/a.txt", { encoding: "utf8" })).toBe("héllo");
    await vm.writeFile("/home/agentos/b.bin", new Uint8Array([0, 255, 7]));
    expect([...(await vm.readFile("/home/agentos/b.bin"))]).toEqual([0, 255, 7]);
    await expect(vm.writeFile("/x/y/z.txt", "no")).rejects.toMatchObject({
      code: "ENOENT",
      path: "/x/y/z.txt",
    });
    expect(await vm.exists("/x")).toBe(false);
    await vm.writeFile("/x/y/z.txt", "yes", { createParents: true });
    expect(await vm.readFile("/x/y/z.txt", { encoding: "utf8" })).toBe("yes");
    expect((await vm.stat("/x/y/z.txt")).uid).toBe(1000);
  });

  it("reports typed errors that name the path", async () => {
    const vm = await boot();
    const err = await vm.readFile("/nope").catch((e) => e);
    expect(err).toBeInstanceOf(FsError);
    expect(err.code).toBe("ENOENT");
    expect(err.message).toBe("ENOENT: no such file or directory, open '/nope'");
    await expect(vm.readFile("/etc")).rejects.toMatchObject({ code: "EISDIR" });
    await expect(vm.mkdir("/etc")).rejects.toMatchObject({ code: "EEXIST" });
    await expect(vm.delete("/etc")).rejects.toMatchObject({ code: "ENOTEMPTY" });
    await expect(vm.readFile("relative")).rejects.toMatchObject({ code: "EINVAL" });
  });

  it("batches reads and writes with a result per file", async () => {
    const vm = await boot();
    const w = await vm.writeFiles([
      { path: "/tmp/1", content: "one" },
      { path: "/missing/2", content: "two" },
    ]);
    expect(w.map((r) => r.ok)).toEqual([true, false]);
    const r = await vm.readFiles(["/tmp/1", "/tmp/none"]);
    expect(r[0]).toMatchObject({ ok: true });
    expect(r[1]).toMatchObject({ ok: false, error: { code: "ENOENT" } });
  });

  it("lists recursively with depth and exclusions", async () => {
    const vm = await boot();
    await vm.writeFile("/p/a/b/c.txt", "c", { createParents: true });
    await vm.writeFile("/p/node_modules/x.js", "x", { createParents: true });
    await vm.writeFile("/p/top.txt", "top");
    const all = await vm.readdirRecursive("/p", { exclude: ["node_modules"] });
    expect(all).toEqual([
      { path: "/p/a", type: "directory", size: 4096 },
      { path: "/p/a/b", type: "directory", size: 4096 },
      { path: "/p/a/b/c.txt", type: "file", size: 1 },
      { path: "/p/top.txt", type: "file", size: 3 },
    ]);
    const shallow = await vm.readdirRecursive("/p", { maxDepth: 0 });
    expect(shallow.map((e) => e.path)).toEqual(["/p/a", "/p/node_modules", "/p/top.txt"]);
  });

  it("moves and deletes, recursively when asked", async () => {
    const vm = await boot();
    await vm.writeFile("/tmp/d/f", "f", { createParents: true });
    await vm.move("/tmp/d", "/tmp/e");
    expect(await vm.readFile("/tmp/e/f", { encoding: "utf8" })).toBe("f");
    await vm.writeFile("/tmp/g", "g");
    await vm.move("/tmp/g", "/tmp/e/f");
    expect(await vm.readFile("/tmp/e/f", { encoding: "utf8" })).toBe("g");
    await vm.delete("/tmp/e", { recursive: true });
    expect(await vm.exists("/tmp/e")).toBe(false);
  });

  it("fails every call after dispose", async () => {
    const vm = await AgentOS.create();
    await vm.dispose();
    await expect(vm.readFile("/etc/passwd")).rejects.toMatchObject({ code: "EBADF" });
  });
});

describe("mounts", () => {
  it("splices a memory mount into the namespace, moving across it by copy", async () => {
    const vm = await boot({
      mounts: [{ path: "/mnt/mem", plugin: memoryMount({ files: { "a.txt": "A" } }) }],
    });
    expect(await vm.readdir("/mnt")).toContain("mem");
    expect(await vm.readFile("/mnt/mem/a.txt", { encoding: "utf8" })).toBe("A");
    await vm.writeFile("/home/agentos/x", "X");
    await vm.move("/home/agentos/x", "/mnt/mem/x");
    expect(await vm.exists("/home/agentos/x")).toBe(false);
    expect(await vm.readFile("/mnt/mem/x", { encoding: "utf8" })).toBe("X");
    await vm.symlink("/etc/hostname", "/mnt/mem/link");
    // A symlink inside a mount resolves in the VM's namespace, never the host's.
    expect(await vm.readFile("/mnt/mem/link", { encoding: "utf8" })).toBe("agentos\n");
  });

  it("exposes a host directory, read-only when asked, confined to its root", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentos-mount-"));
    try {
      writeFileSync(join(dir, "in.txt"), "from host");
      const vm = await boot({
        mounts: [
          { path: "/mnt/rw", plugin: hostDirMount(dir) },
          { path: "/mnt/ro", plugin: hostDirMount(dir, { readOnly: true }) },
        ],
      });
      expect(await vm.readFile("/mnt/ro/in.txt", { encoding: "utf8" })).toBe("from host");
      await expect(vm.writeFile("/mnt/ro/new.txt", "x")).rejects.toMatchObject({ code: "EROFS" });
      await vm.writeFile("/mnt/rw/new.txt", "to host");
      expect(readFileSync(join(dir, "new.txt"), "utf8")).toBe("to host");
      // `..` out of the mount lands in the VM's tree, not the host's.
      expect(await vm.readFile("/mnt/rw/../../etc/hostname", { encoding: "utf8" })).toBe("agentos\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("watch", () => {
  it("reports create, modify, rename and delete from the host API", async () => {
    const vm = await boot();
    await vm.mkdir("/w");
    const events: WatchEvent[] = [];
    const stop = vm.watch("/w", { recursive: true }, (e) => events.push(e));
    await vm.writeFile("/w/a", "1");
    await vm.writeFile("/w/a", "2");
    await vm.mkdir("/w/sub");
    await vm.move("/w/a", "/w/sub/b");
    await vm.delete("/w/sub/b");
    await new Promise((r) => setTimeout(r, 0));
    stop();
    await vm.writeFile("/w/after", "ignored");
    await new Promise((r) => setTimeout(r, 0));
    const kinds = events.map((e) => `${e.type} ${e.path}`);
    expect(kinds).toContain("create /w/a");
    expect(kinds).toContain("modify /w/a");
    expect(kinds).toContain("create /w/sub");
    expect(events).toContainEqual(
      expect.objectContaining({ type: "rename", path: "/w/sub/b", oldPath: "/w/a" }),
    );
    expect(kinds).toContain("delete /w/sub/b");
    expect(kinds.some((k) => k.includes("after"))).toBe(false);
  });

  it("a non-recursive watch sees direct children only", async () => {
    const vm = await boot();
    await vm.mkdir("/w/deep", { recursive: true });
    const events: WatchEvent[] = [];
    vm.watch("/w", {}, (e) => events.push(e));
    await vm.writeFile("/w/top", "t");
    await vm.writeFile("/w/deep/x", "x");
    await new Promise((r) => setTimeout(r, 0));
    expect(events.map((e) => e.path)).toEqual(["/w/top", "/w/top"]);
  });
});

describe("fork and snapshot", () => {
  it("forks in O(1) and both sides diverge", async () => {
    const vm = await boot();
    for (let i = 0; i < 2000; i++) await vm.writeFile(`/tmp/f${i}`, `file ${i}`);
    const t0 = performance.now();
    const child = await vm.fork();
    vms.push(child);
    const forkMs = performance.now() - t0;
    expect(forkMs).toBeLessThan(50);
    await child.writeFile("/tmp/f1", "child");
    await vm.delete("/tmp/f2");
    expect(await vm.readFile("/tmp/f1", { encoding: "utf8" })).toBe("file 1");
    expect(await child.readFile("/tmp/f1", { encoding: "utf8" })).toBe("child");
    expect(await child.readFile("/tmp/f2", { encoding: "utf8" })).toBe("file 2");
  });

  it("round-trips through bytes, and rejects corrupted bytes without building a VM", async () => {
    const vm = await boot();
    await vm.writeFile("/home/agentos/s.txt", "snap");
    const bytes = await vm.snapshot();
    const back = await AgentOS.restore(bytes);
    vms.push(back);
    expect(await back.readFile("/home/agentos/s.txt", { encoding: "utf8" })).toBe("snap");
    const bad = bytes.slice();
    bad[bad.length - 40]! ^= 1;
    await expect(AgentOS.restore(bad)).rejects.toMatchObject({ code: "ESNAPSHOT_CHECKSUM" });
    await expect(AgentOS.restore(bytes.subarray(0, 100))).rejects.toMatchObject({
      code: "ESNAPSHOT_TRUNCATED",
    });
    await expect(AgentOS.restore(new TextEncoder().encode("PK\x03\x04 zip"))).rejects.toMatchObject({
      code: "ESNAPSHOT_FORMAT",
    });
  });
});

describe("host API edge cases", () => {
  it("refuses to read an endless device whole, and reads /dev/null as empty", async () => {
    const vm = await boot();
    await expect(vm.readFile("/dev/zero")).rejects.toMatchObject({ code: "EFBIG", path: "/dev/zero" });
    expect((await vm.readFile("/dev/null")).length).toBe(0);
  });

  it("reports canonical paths to watchers when a path goes through a symlink", async () => {
    const vm = await boot();
    await vm.mkdir("/real");
    await vm.symlink("/real", "/link");
    const events: WatchEvent[] = [];
    vm.watch("/real", {}, (e) => events.push(e));
    await vm.writeFile("/link/../real/x", "1");
    await new Promise((r) => setTimeout(r, 0));
    expect(events[0]).toMatchObject({ type: "create", path: "/real/x" });
  });
});
