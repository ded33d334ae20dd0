/**
 * The facade tested as a Node `fs`: every case runs once against real `node:fs/promises` in a
 * temporary directory and once against the facade in a VM directory, and the two outcomes (value,
 * or error code/errno/syscall/path/message) must be equal once each root is written `<root>`.
 */

import { constants as hostConstants } from "node:fs";
import * as hostFs from "node:fs/promises";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentOS } from "../vm.ts";
import { createNodeFs, Dirent, type NodeFsPromises, Stats } from "./node-fs.ts";

type Fs = NodeFsPromises;
type Case = [name: string, run: (fs: Fs, at: (rel: string) => string) => Promise<unknown>];

const text = (fs: Fs, path: string) => fs.readFile(path, "utf8");
const names = async (fs: Fs, path: string) => (await fs.readdir(path)).sort();
const perm = async (fs: Fs, path: string) => (await fs.stat(path)).mode & 0o7777;

/** What every case starts from. */
async function seed(fs: Fs, at: (rel: string) => string): Promise<void> {
  await fs.writeFile(at("f"), "hello");
  await fs.mkdir(at("d"));
  await fs.writeFile(at("d/g"), "x");
  await fs.mkdir(at("e"));
  await fs.symlink("f", at("lf"));
  await fs.symlink("missing", at("dangling"));
}

const cases: Case[] = [
  ["readFile utf8", (fs, at) => text(fs, at("f"))],
  ["readFile buffer", (fs, at) => fs.readFile(at("f"))],
  ["readFile base64", (fs, at) => fs.readFile(at("f"), { encoding: "base64" })],
  ["readFile missing", (fs, at) => fs.readFile(at("nope"))],
  ["readFile directory", (fs, at) => fs.readFile(at("d"))],
  ["readFile through a file", (fs, at) => fs.readFile(at("f/x"))],
  ["readFile trailing slash on a file", (fs, at) => fs.readFile(at("f/"))],
  ["readFile via symlink", (fs, at) => text(fs, at("lf"))],
  ["readFile dangling symlink", (fs, at) => fs.readFile(at("dangling"))],
  ["readFile flag a+", (fs, at) => text(fs, at("f")).then(() => fs.readFile(at("f"), { flag: "a+" }))],
  ["readFile flag wx", (fs, at) => fs.readFile(at("f"), { flag: "wx" })],
  ["writeFile then read", async (fs, at) => [await fs.writeFile(at("n"), "new"), await text(fs, at("n"))]],
  ["writeFile replaces", async (fs, at) => [await fs.writeFile(at("f"), "hi"), await text(fs, at("f"))]],
  [
    "writeFile Uint8Array",
    async (fs, at) => [await fs.writeFile(at("f"), new Uint8Array([65, 66])), await text(fs, at("f"))],
  ],
  ["writeFile hex", async (fs, at) => [await fs.writeFile(at("f"), "4142", "hex"), await text(fs, at("f"))]],
  ["writeFile wx existing", (fs, at) => fs.writeFile(at("f"), "x", { flag: "wx" })],
  [
    "writeFile wx new",
    async (fs, at) => [await fs.writeFile(at("w"), "x", { flag: "wx" }), await text(fs, at("w"))],
  ],
  [
    "writeFile flag a",
    async (fs, at) => [await fs.writeFile(at("f"), "!", { flag: "a" }), await text(fs, at("f"))],
  ],
  [
    "writeFile flag r+",
    async (fs, at) => [await fs.writeFile(at("f"), "HE", { flag: "r+" }), await text(fs, at("f"))],
  ],
  ["writeFile r+ missing", (fs, at) => fs.writeFile(at("nope"), "x", { flag: "r+" })],
  ["writeFile bad flag", (fs, at) => fs.writeFile(at("f"), "x", { flag: "zz" })],
  ["writeFile missing parent", (fs, at) => fs.writeFile(at("nope/x"), "x")],
  ["writeFile on a directory", (fs, at) => fs.writeFile(at("d"), "x")],
  [
    "writeFile mode",
    async (fs, at) => [await fs.writeFile(at("m"), "x", { mode: 0o600 }), await perm(fs, at("m"))],
  ],
  [
    "writeFile through symlink",
    async (fs, at) => [await fs.writeFile(at("lf"), "via"), await text(fs, at("f"))],
  ],
  [
    "appendFile existing",
    async (fs, at) => [await fs.appendFile(at("f"), " world"), await text(fs, at("f"))],
  ],
  [
    "appendFile creates",
    async (fs, at) => [
      await fs.appendFile(at("a"), "1"),
      await fs.appendFile(at("a"), "2"),
      await text(fs, at("a")),
    ],
  ],
  ["mkdir existing", (fs, at) => fs.mkdir(at("d"))],
  ["mkdir missing parent", (fs, at) => fs.mkdir(at("x/y"))],
  ["mkdir recursive returns first", (fs, at) => fs.mkdir(at("d/p/q/r"), { recursive: true })],
  ["mkdir recursive spelled with ./", (fs, at) => fs.mkdir(at("./x/./y"), { recursive: true })],
  ["mkdir recursive existing", (fs, at) => fs.mkdir(at("d"), { recursive: true })],
  ["mkdir recursive on a file", (fs, at) => fs.mkdir(at("f"), { recursive: true })],
  ["mkdir recursive through a file", (fs, at) => fs.mkdir(at("f/x/y"), { recursive: true })],
  ["mkdir mode", async (fs, at) => [await fs.mkdir(at("m"), 0o750), await perm(fs, at("m"))]],
  ["mkdir default mode", async (fs, at) => [await fs.mkdir(at("m")), await perm(fs, at("m"))]],
  ["readdir", (fs, at) => names(fs, at("."))],
  [
    "readdir withFileTypes",
    async (fs, at) =>
      (await fs.readdir(at("."), { withFileTypes: true }))
        .map((e) => [e.name, e.isFile(), e.isDirectory(), e.isSymbolicLink(), e.parentPath])
        .sort(),
  ],
  ["readdir recursive", async (fs, at) => (await fs.readdir(at("."), { recursive: true })).sort()],
  [
    "readdir recursive withFileTypes",
    async (fs, at) =>
      (await fs.readdir(at("."), { recursive: true, withFileTypes: true }))
        .map((e) => `${e.parentPath}|${e.name}`)
        .sort(),
  ],
  ["readdir a file", (fs, at) => fs.readdir(at("f"))],
  ["readdir missing", (fs, at) => fs.readdir(at("nope"))],
  [
    "readdir via symlink to dir",
    async (fs, at) => [await fs.symlink("d", at("ld")), await names(fs, at("ld"))],
  ],
  [
    "stat file",
    async (fs, at) => {
      const s = await fs.stat(at("f"));
      return [s.isFile(), s.isDirectory(), s.isSymbolicLink(), s.size, s.nlink, s.mode.toString(8)];
    },
  ],
  [
    "stat symlink follows",
    async (fs, at) => [(await fs.stat(at("lf"))).isFile(), (await fs.stat(at("lf"))).size],
  ],
  [
    "lstat symlink",
    async (fs, at) => {
      const s = await fs.lstat(at("lf"));
      return [s.isSymbolicLink(), s.isFile(), s.size];
    },
  ],
  ["stat dangling", (fs, at) => fs.stat(at("dangling"))],
  ["lstat dangling", async (fs, at) => (await fs.lstat(at("dangling"))).isSymbolicLink()],
  ["stat symlink loop", async (fs, at) => [await fs.symlink("loop", at("loop")), await fs.stat(at("loop"))]],
  ["stat missing", (fs, at) => fs.stat(at("nope/x"))],
  ["unlink", async (fs, at) => [await fs.unlink(at("f")), await names(fs, at("."))]],
  ["unlink directory", (fs, at) => fs.unlink(at("d"))],
  ["unlink missing", (fs, at) => fs.unlink(at("nope"))],
  ["unlink symlink keeps target", async (fs, at) => [await fs.unlink(at("lf")), await text(fs, at("f"))]],
  ["rmdir empty", async (fs, at) => [await fs.rmdir(at("e")), await names(fs, at("."))]],
  ["rmdir non-empty", (fs, at) => fs.rmdir(at("d"))],
  ["rmdir a file", (fs, at) => fs.rmdir(at("f"))],
  ["rm file", async (fs, at) => [await fs.rm(at("f")), await names(fs, at("."))]],
  ["rm missing", (fs, at) => fs.rm(at("nope"))],
  ["rm missing force", (fs, at) => fs.rm(at("nope"), { force: true })],
  ["rm through a file, force", (fs, at) => fs.rm(at("f/x"), { force: true })],
  ["rm directory", (fs, at) => fs.rm(at("d"))],
  ["rm recursive", async (fs, at) => [await fs.rm(at("d"), { recursive: true }), await names(fs, at("."))]],
  [
    "rm recursive keeps symlink targets",
    async (fs, at) => {
      await fs.symlink("../f", at("d/lf"));
      await fs.rm(at("d"), { recursive: true });
      return text(fs, at("f"));
    },
  ],
  ["rename", async (fs, at) => [await fs.rename(at("f"), at("g")), await names(fs, at("."))]],
  ["rename over a file", async (fs, at) => [await fs.rename(at("f"), at("d/g")), await text(fs, at("d/g"))]],
  ["rename missing", (fs, at) => fs.rename(at("nope"), at("x"))],
  ["rename dir into itself", (fs, at) => fs.rename(at("d"), at("d/sub"))],
  ["rename file over dir", (fs, at) => fs.rename(at("f"), at("e"))],
  ["rename dir over file", (fs, at) => fs.rename(at("e"), at("f"))],
  ["rename dir over non-empty dir", (fs, at) => fs.rename(at("e"), at("d"))],
  [
    "copyFile",
    async (fs, at) => {
      await fs.chmod(at("f"), 0o640);
      await fs.copyFile(at("f"), at("c"));
      return [await text(fs, at("c")), await perm(fs, at("c"))];
    },
  ],
  ["copyFile excl", (fs, at) => fs.copyFile(at("f"), at("d/g"), hostConstants.COPYFILE_EXCL)],
  ["copyFile missing", (fs, at) => fs.copyFile(at("nope"), at("c"))],
  ["copyFile directory", (fs, at) => fs.copyFile(at("d"), at("c"))],
  ["copyFile onto itself", async (fs, at) => [await fs.copyFile(at("f"), at("f")), await text(fs, at("f"))]],
  ["readlink", (fs, at) => fs.readlink(at("lf"))],
  ["readlink buffer", (fs, at) => fs.readlink(at("lf"), { encoding: "buffer" })],
  ["readlink a file", (fs, at) => fs.readlink(at("f"))],
  ["symlink existing", (fs, at) => fs.symlink("f", at("d"))],
  ["symlink missing parent", (fs, at) => fs.symlink("f", at("nope/l"))],
  [
    "link",
    async (fs, at) => [
      await fs.link(at("f"), at("h")),
      (await fs.stat(at("f"))).nlink,
      await text(fs, at("h")),
    ],
  ],
  ["link a directory", (fs, at) => fs.link(at("d"), at("h"))],
  ["link existing", (fs, at) => fs.link(at("f"), at("d/g"))],
  ["chmod", async (fs, at) => [await fs.chmod(at("f"), 0o604), await perm(fs, at("f"))]],
  ["chmod octal string", async (fs, at) => [await fs.chmod(at("f"), "751"), await perm(fs, at("f"))]],
  ["chmod bad mode", (fs, at) => fs.chmod(at("f"), "abc")],
  ["chmod missing", (fs, at) => fs.chmod(at("nope"), 0o600)],
  [
    "utimes seconds",
    async (fs, at) => {
      await fs.utimes(at("f"), 1000, "2000.5");
      const s = await fs.stat(at("f"));
      return [s.atimeMs, s.mtimeMs, s.mtime.toISOString()];
    },
  ],
  [
    "utimes Date",
    async (fs, at) => [
      await fs.utimes(at("f"), new Date(5000), new Date(6000)),
      (await fs.stat(at("f"))).mtimeMs,
    ],
  ],
  ["utimes missing", (fs, at) => fs.utimes(at("nope"), 1, 1)],
  ["realpath via symlink", (fs, at) => fs.realpath(at("lf"))],
  ["realpath with ..", (fs, at) => fs.realpath(at("d/../e"))],
  ["realpath missing", (fs, at) => fs.realpath(at("nope"))],
  ["access exists", (fs, at) => fs.access(at("f"), hostConstants.R_OK)],
  ["access missing", (fs, at) => fs.access(at("nope"))],
  ["truncate shorter", async (fs, at) => [await fs.truncate(at("f"), 2), await text(fs, at("f"))]],
  ["truncate longer", async (fs, at) => [await fs.truncate(at("f"), 7), await fs.readFile(at("f"))]],
  ["truncate negative", async (fs, at) => [await fs.truncate(at("f"), -3), (await fs.stat(at("f"))).size]],
  ["truncate missing", (fs, at) => fs.truncate(at("nope"))],
  ["truncate directory", (fs, at) => fs.truncate(at("d"))],
  ["open missing", (fs, at) => fs.open(at("nope"))],
  ["open directory for writing", (fs, at) => fs.open(at("d"), "w")],
  [
    "FileHandle write, read, stat",
    async (fs, at) => {
      await using h = await fs.open(at("n"), "w+");
      const w = await h.write("hello world");
      const buf = Buffer.alloc(5);
      const r = await h.read(buf, 0, 5, 6);
      const rest = await h.readFile("utf8");
      await h.write(Buffer.from("XY"), 0, 2, 0);
      await h.truncate(8);
      return [w.bytesWritten, r.bytesRead, buf, rest, (await h.stat()).size, await text(fs, at("n"))];
    },
  ],
  [
    "FileHandle readFile from the offset",
    async (fs, at) => {
      await using h = await fs.open(at("f"));
      await h.read(Buffer.alloc(2), 0, 2, null);
      return [await h.readFile("utf8"), (await h.read()).bytesRead];
    },
  ],
  [
    "FileHandle read on write-only",
    async (fs, at) => {
      await using h = await fs.open(at("f"), "a");
      return await h.read(Buffer.alloc(2), 0, 2, 0);
    },
  ],
  [
    "FileHandle write on read-only",
    async (fs, at) => {
      await using h = await fs.open(at("f"), "r");
      return await h.write("x");
    },
  ],
  [
    "FileHandle truncate read-only",
    async (fs, at) => {
      await using h = await fs.open(at("f"), "r");
      return await h.truncate(0);
    },
  ],
  [
    "FileHandle append writes at end",
    async (fs, at) => {
      const h = await fs.open(at("f"), "a+");
      await h.write("!", 0);
      await h.close();
      return text(fs, at("f"));
    },
  ],
  [
    "FileHandle closed",
    async (fs, at) => {
      const h = await fs.open(at("f"));
      await h.close();
      return [h.fd, await h.close(), await h.stat()];
    },
  ],
  ["mkdtemp", async (fs, at) => /(^|\/)tmp-[A-Za-z0-9]{6}$/.test(await fs.mkdtemp(at("tmp-")))],
  ["mkdtemp missing parent", async (fs, at) => fs.mkdtemp(at("nope/tmp-")).catch((e) => [e.code, e.syscall])],
  [
    "mkdir with trailing slash",
    async (fs, at) => [await fs.mkdir(at("m/")), (await fs.stat(at("m"))).isDirectory()],
  ],
  [
    "writeFile via dangling symlink creates its target",
    async (fs, at) => [await fs.writeFile(at("dangling"), "z"), await text(fs, at("missing"))],
  ],
  ["open O_NOFOLLOW on a symlink", (fs, at) => fs.open(at("lf"), hostConstants.O_NOFOLLOW)],
  ["open O_DIRECTORY on a file", (fs, at) => fs.open(at("f"), hostConstants.O_DIRECTORY)],
  ["chmod follows symlinks", async (fs, at) => [await fs.chmod(at("lf"), 0o600), await perm(fs, at("f"))]],
  [
    "lutimes sets the link's times",
    async (fs, at) => [
      await fs.lutimes(at("lf"), 10, 20),
      (await fs.lstat(at("lf"))).mtimeMs,
      (await fs.stat(at("f"))).mtimeMs === 20000,
    ],
  ],
  [
    "hard link survives unlink",
    async (fs, at) => [
      await fs.link(at("f"), at("h")),
      await fs.unlink(at("f")),
      (await fs.stat(at("h"))).nlink,
      await text(fs, at("h")),
    ],
  ],
  [
    "link to a symlink links the symlink",
    async (fs, at) => [await fs.link(at("lf"), at("h")), (await fs.lstat(at("h"))).isSymbolicLink()],
  ],
  [
    "rename onto a hard link of itself",
    async (fs, at) => [
      await fs.link(at("f"), at("h")),
      await fs.rename(at("f"), at("h")),
      await names(fs, at(".")),
    ],
  ],
  [
    "rename dir over empty dir",
    async (fs, at) => [await fs.rename(at("d"), at("e")), await names(fs, at("e"))],
  ],
  ["rename with trailing slash on a file", (fs, at) => fs.rename(at("f/"), at("g"))],
  ["unlink with trailing slash on a file", (fs, at) => fs.unlink(at("f/"))],
  [
    "readdir through symlink/..",
    async (fs, at) => [await fs.symlink("d", at("ld")), (await names(fs, at("ld/.."))).length],
  ],
  ["realpath dangling", (fs, at) => fs.realpath(at("dangling"))],
  ["copyFile onto a directory", (fs, at) => fs.copyFile(at("f"), at("d"))],
  [
    "copyFile to a dangling symlink",
    async (fs, at) => [await fs.copyFile(at("f"), at("dangling")), await text(fs, at("missing"))],
  ],
  ["name too long", (fs, at) => fs.writeFile(at("a".repeat(256)), "x")],
  [
    "unlinked open file keeps its data",
    async (fs, at) => {
      await using h = await fs.open(at("f"));
      await fs.unlink(at("f"));
      return await h.readFile("utf8");
    },
  ],
  [
    "renamed open file is still written",
    async (fs, at) => {
      const h = await fs.open(at("f"), "r+");
      await fs.rename(at("f"), at("g"));
      await h.write("J", 0);
      await h.close();
      return text(fs, at("g"));
    },
  ],
  [
    "write past the end zero-fills",
    async (fs, at) => {
      const h = await fs.open(at("f"), "r+");
      await h.write("Z", 8);
      await h.close();
      return fs.readFile(at("f"));
    },
  ],
  [
    "truncate a handle, then write at its offset",
    async (fs, at) => {
      const h = await fs.open(at("f"), "r+");
      await h.read(Buffer.alloc(5), 0, 5, null);
      await h.truncate(1);
      await h.write("Q");
      await h.close();
      return fs.readFile(at("f"));
    },
  ],
  [
    "a+ reads from the start",
    async (fs, at) => {
      await using h = await fs.open(at("f"), "a+");
      return await h.readFile("utf8");
    },
  ],
  [
    "read a directory handle",
    async (fs, at) => {
      await using h = await fs.open(at("d"));
      return [(await h.stat()).isDirectory(), await h.read(Buffer.alloc(3), 0, 3, 0).catch((e) => e.code)];
    },
  ],
  // Known VFS differences (see KNOWN_VFS_DIFFERENCES).
  [
    "writeFile to a new name with trailing slash",
    async (fs, at) => [await fs.writeFile(at("nf/"), "x").catch((e) => e.code), await names(fs, at("."))],
  ],
  [
    "symlink at a new name with trailing slash",
    async (fs, at) => [await fs.symlink("f", at("nl/")).catch((e) => e.code), await names(fs, at("."))],
  ],
  [
    "link at a new name with trailing slash",
    async (fs, at) => [await fs.link(at("f"), at("h/")).catch((e) => e.code), await names(fs, at("."))],
  ],
  [
    "rename a file to a new name with trailing slash",
    async (fs, at) => [await fs.rename(at("f"), at("g/")).catch((e) => e.code), await names(fs, at("."))],
  ],
  [
    "rmdir symlink-to-dir with trailing slash",
    async (fs, at) => [
      await fs.symlink("e", at("le")),
      await fs.rmdir(at("le/")).catch((e) => e.code),
      await names(fs, at(".")),
    ],
  ],
  [
    "unlink symlink-to-dir with trailing slash",
    async (fs, at) => [await fs.symlink("d", at("ld")), await fs.unlink(at("ld/")).catch((e) => e.code)],
  ],
  [
    "mkdir recursive on a dangling symlink",
    async (fs, at) => [
      await fs.mkdir(at("dangling"), { recursive: true }).catch((e) => e.code),
      await names(fs, at(".")),
    ],
  ],
  [
    "writeFile wx via a dangling symlink",
    async (fs, at) => [
      await fs.writeFile(at("dangling"), "z", { flag: "wx" }).catch((e) => e.code),
      await names(fs, at(".")),
    ],
  ],
  ["rename a directory onto .", (fs, at) => fs.rename(at("e/"), at("."))],
  ["null byte in path", (fs, at) => fs.stat(at("a\0b"))],
  ["path of the wrong type", (fs) => fs.stat(42 as unknown as string)],
];

/**
 * Cases where the VFS (not the facade) still differs from Linux. Each is asserted to *differ*, so
 * fixing the VFS makes its test fail here as a reminder to delete the entry.
 */
const KNOWN_VFS_DIFFERENCES: Record<string, string> = {};

/** A value or an error, with each root written `<root>` so both sides compare. */
function outcome(value: unknown, root: string): unknown {
  const clean = (v: unknown): unknown => {
    if (typeof v === "string") return v.split(root).join("<root>");
    if (Buffer.isBuffer(v)) return { buffer: v.toString("hex") };
    if (Array.isArray(v)) return v.map(clean);
    return v;
  };
  if (!(value instanceof Error)) return { ok: clean(value) };
  const e = value as NodeJS.ErrnoException & { dest?: string };
  const fields = {
    name: e.name,
    message: e.message,
    code: e.code,
    errno: e.errno,
    syscall: e.syscall,
    path: e.path,
    dest: e.dest,
  };
  return { error: clean(Object.values(fields)), fields: Object.keys(fields) };
}

async function settle(run: () => Promise<unknown>, root: string): Promise<unknown> {
  return outcome(await run().catch((e: unknown) => e), root);
}

const onLinux = process.platform === "linux";

// Each case runs twice: with absolute paths, and with relative ones (the host process changes
// into the case's directory; the facade gets it as `cwd`), which checks the caller's spelling of
// paths in errors and results.
describe.skipIf(!onLinux).each(["absolute", "relative"])(
  "node-fs facade compared with node:fs/promises (%s paths)",
  (mode) => {
    let vm: AgentOS;
    let hostRoot: string;
    let umask: number;
    let n = 0;
    const startDir = process.cwd();

    beforeAll(async () => {
      vm = await AgentOS.create();
      hostRoot = await hostFs.realpath(await hostFs.mkdtemp(`${tmpdir()}/agentos-node-fs-`));
      // The host's umask, without process.umask() (deprecated as a getter).
      await hostFs.writeFile(`${hostRoot}/umask-probe`, "", { mode: 0o777 });
      umask = 0o777 & ~(await hostFs.stat(`${hostRoot}/umask-probe`)).mode;
    });
    afterAll(async () => {
      process.chdir(startDir);
      await hostFs.rm(hostRoot, { recursive: true, force: true });
      await vm.dispose();
    });

    it.each(cases)("%s", async (name, run) => {
      n += 1;
      const host = `${hostRoot}/case${n}`;
      const guest = `/tmp/case${n}`;
      const real = hostFs as unknown as Fs;
      const fake = vm.nodeFs({ umask, cwd: guest }).promises;
      await real.mkdir(host);
      await fake.mkdir(guest);
      const hostAt = (p: string) => (mode === "relative" ? p : `${host}/${p}`);
      const guestAt = (p: string) => (mode === "relative" ? p : `${guest}/${p}`);
      process.chdir(host);
      await seed(real, hostAt);
      await seed(fake, guestAt);
      const expected = await settle(() => run(real, hostAt), host);
      const actual = await settle(() => run(fake, guestAt), guest);
      const known = KNOWN_VFS_DIFFERENCES[name];
      if (known) expect(actual, `fixed? remove from KNOWN_VFS_DIFFERENCES: ${known}`).not.toEqual(expected);
      else expect(actual).toEqual(expected);
    });
  },
);

describe("node-fs facade shape", () => {
  it("Stats has Node's own fields and methods", async () => {
    const vm = await AgentOS.create();
    const fs = vm.nodeFs();
    await fs.promises.writeFile("/tmp/s", "abc");
    const st = await fs.promises.stat("/tmp/s");
    const real = await hostFs.stat(import.meta.filename);
    expect(st).toBeInstanceOf(Stats);
    expect(Object.keys(st)).toEqual(Object.keys(real));
    for (const m of [
      "isFile",
      "isDirectory",
      "isSymbolicLink",
      "isCharacterDevice",
      "isBlockDevice",
      "isFIFO",
      "isSocket",
    ]) {
      expect(typeof (st as unknown as Record<string, unknown>)[m]).toBe("function");
    }
    expect(st.mtime).toBeInstanceOf(Date);
    expect(st.mtime.getTime()).toBe(st.mtimeMs);
    expect([st.size, st.uid, st.gid, st.nlink, st.isFile()]).toEqual([3, 1000, 1000, 1, true]);
    expect((await fs.promises.stat("/dev/null")).isCharacterDevice()).toBe(true);
    await vm.dispose();
  });

  it("Dirent has Node's own fields", async () => {
    const vm = await AgentOS.create();
    const [entry] = await vm.nodeFs({ cwd: "/etc" }).promises.readdir("/dev", { withFileTypes: true });
    expect(entry).toBeInstanceOf(Dirent);
    expect(Object.keys(entry!)).toEqual(["name", "parentPath"]);
    await vm.dispose();
  });

  it.skipIf(!onLinux)("constants are Linux's", () => {
    const facade = createNodeFs(null as never).constants as Record<string, number>;
    for (const [key, value] of Object.entries(hostConstants)) {
      if (key in facade) expect([key, facade[key]]).toEqual([key, value]);
    }
  });
});

describe("node-fs callback API, cwd and credentials", () => {
  let vm: AgentOS;
  beforeAll(async () => {
    vm = await AgentOS.create();
  });
  afterAll(() => vm.dispose());

  const cb = <T>(start: (done: (err: Error | null, value?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) =>
      start((err, value) => (err ? reject(err) : resolve(value))),
    );

  it("answers through callbacks, errors included", async () => {
    const fs = vm.nodeFs({ cwd: "/home/agentos" });
    await cb((done) => fs.writeFile("cb.txt", "one", done));
    await cb((done) => fs.appendFile("cb.txt", "+two", "utf8", done));
    expect(await cb<string | Buffer>((done) => fs.readFile("cb.txt", "utf8", done))).toBe("one+two");
    expect(await cb<string | undefined>((done) => fs.mkdir("a/b", { recursive: true }, done))).toBe("a");
    expect((await cb<Stats>((done) => fs.stat("cb.txt", done)))?.size).toBe(7);
    const err = await cb((done) => fs.readFile("nope", done)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ENOENT", errno: -2, syscall: "open", path: "nope" });
    expect((err as Error).message).toBe("ENOENT: no such file or directory, open 'nope'");
    expect(await new Promise((resolve) => fs.exists("cb.txt", resolve))).toBe(true);
    expect(() => (fs.readFile as unknown as (p: string) => void)("cb.txt")).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARG_TYPE" }),
    );
  });

  it("reads and writes through fd numbers", async () => {
    const fs = vm.nodeFs();
    const fd = (await cb<number>((done) => fs.open("/tmp/fd.txt", "w+", done)))!;
    expect(fd).toBeGreaterThan(2);
    const written = await new Promise((resolve) => fs.write(fd, "hello fd", (_e, n) => resolve(n)));
    expect(written).toBe(8);
    const buf = Buffer.alloc(2);
    const read = await new Promise((resolve) => fs.read(fd, buf, 0, 2, 6, (_e, n) => resolve(n)));
    expect([read, buf.toString()]).toEqual([2, "fd"]);
    expect((await cb<Stats>((done) => fs.fstat(fd, done)))?.size).toBe(8);
    await cb((done) => fs.ftruncate(fd, 5, done));
    await cb((done) => fs.close(fd, done));
    expect(await vm.readFile("/tmp/fd.txt", { encoding: "utf8" })).toBe("hello");
    const err = await cb((done) => fs.fstat(fd, done)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "EBADF", errno: -9, syscall: "fstat" });
  });

  it("acts as the given user, with that user's permissions", async () => {
    const user = createNodeFs(vm.fs, { cred: { uid: 1000, gid: 1000 } }).promises;
    await user.writeFile("/home/agentos/mine", "x", { mode: 0o666 });
    const st = await user.stat("/home/agentos/mine");
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([1000, 1000, 0o644]);
    await expect(user.writeFile("/etc/hijack", "x")).rejects.toMatchObject({
      code: "EACCES",
      errno: -13,
      path: "/etc/hijack",
    });
    await expect(user.access("/etc/hostname", 2)).rejects.toMatchObject({
      code: "EACCES",
      syscall: "access",
    });
  });

  it("gives host-API files to agentos and resolves relative paths against cwd", async () => {
    const fs = vm.nodeFs({ cwd: "/home/agentos/" });
    await fs.promises.writeFile("../agentos/rel.txt", "r");
    expect(await vm.readFile("/home/agentos/rel.txt", { encoding: "utf8" })).toBe("r");
    expect((await fs.promises.stat("rel.txt")).uid).toBe(1000);
    expect(await fs.promises.realpath(".")).toBe("/home/agentos");
    expect(() => vm.nodeFs({ cwd: "relative" })).toThrow(TypeError);
  });

  it("keeps the VFS's limit details in the message", async () => {
    const small = await AgentOS.create({ limits: { maxFileSize: 4 } });
    const err = await small
      .nodeFs()
      .promises.writeFile("/tmp/big", "12345")
      .catch((e: unknown) => e);
    // Node names no path for a failed write(2), only for open(2).
    expect(err).toMatchObject({ code: "EFBIG", errno: -27, syscall: "write", path: undefined });
    expect((err as Error).message).toContain("file size limit 4 bytes");
    await small.dispose();
  });
});
