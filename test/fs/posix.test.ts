/**
 * POSIX corners that random sequences rarely reach: symlink loops and depth, name and path length,
 * trailing slashes, `..` at the root and after symlinks, renames into a subtree, readdir cookies,
 * permissions for an unprivileged user, limits, and the devices. Expected results are Linux's
 * (checked on a real filesystem where the two could differ).
 */

import { beforeAll, describe, expect, it } from "vitest";
import { buildBaseImage, emptyRootLayer } from "../../src/fs/base-image.ts";
import { FsError } from "../../src/fs/errors.ts";
import type { Layer } from "../../src/fs/layers.ts";
import { type Credentials, type FsLimits, Vfs } from "../../src/fs/vfs.ts";

const USER: Credentials = { uid: 1000, gid: 1000 };
const OTHER: Credentials = { uid: 1001, gid: 1001 };
const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** The FsError `op` fails with; its message must name `path`. */
async function failure(op: Promise<unknown>, path: string): Promise<FsError> {
  const err = await op.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof FsError)) throw new Error(`expected an FsError, got ${String(err)}`);
  expect(err.message).toContain(`'${path}'`);
  return err;
}

async function code(op: Promise<unknown>, path: string): Promise<string> {
  return (await failure(op, path)).code;
}

let base: Layer;
beforeAll(async () => {
  base = await buildBaseImage();
});

/** A VFS on the base image, with a tree: /d/sub/f (file), /ld -> d, /lf -> d/sub/f. */
async function tree(limits?: FsLimits): Promise<Vfs> {
  const fs = new Vfs(base, { limits });
  await fs.mkdir("/d/sub", { recursive: true, mode: 0o755 });
  await fs.writeFile("/d/sub/f", "data");
  await fs.symlink("d", "/ld");
  await fs.symlink("d/sub/f", "/lf");
  return fs;
}

describe("symlink resolution", () => {
  it("fails with ELOOP on a cycle, and on more than 40 links in one lookup", async () => {
    const fs = await tree();
    await fs.symlink("b", "/a");
    await fs.symlink("a", "/b");
    await fs.symlink("self", "/self");
    for (const p of ["/a", "/b/x", "/self", "/a/"]) expect(await code(fs.stat(p), p)).toBe("ELOOP");
    expect(await code(fs.readFile("/a"), "/a")).toBe("ELOOP");
    expect(await code(fs.writeFile("/a", "x"), "/a")).toBe("ELOOP");
    expect((await fs.lstat("/a")).type).toBe("symlink");
    expect(await fs.readlink("/a")).toBe("b");
    // A chain of exactly 40 links resolves; 41 do not (Linux's MAXSYMLINKS).
    await fs.symlink("/d/sub/f", "/c1");
    for (let i = 2; i <= 41; i++) await fs.symlink(`c${i - 1}`, `/c${i}`);
    expect(text(await fs.readFile("/c40"))).toBe("data");
    expect(await code(fs.readFile("/c41"), "/c41")).toBe("ELOOP");
    await fs.unlink("/a");
    expect(await code(fs.stat("/b"), "/b")).toBe("ENOENT");
  });

  it("keeps `..` at the root and resolves it physically after a symlink", async () => {
    const fs = await tree();
    const rootNames = (await fs.readdir("/")).map((e) => e.name);
    expect((await fs.readdir("/../../..")).map((e) => e.name)).toEqual(rootNames);
    expect(await fs.realpath("/../d/../../tmp")).toBe("/tmp");
    await fs.symlink("/d/sub", "/deep");
    await fs.symlink("../../../..", "/d/sub/up");
    expect(await fs.realpath("/deep/..")).toBe("/d");
    expect((await fs.readdir("/deep/..")).map((e) => e.name)).toEqual(["sub"]);
    expect(await fs.realpath("/d/sub/up")).toBe("/");
    expect(await fs.realpath("/ld/sub/../sub/f")).toBe("/d/sub/f");
    // `.` and `..` are looked up in a directory: after a file they are ENOTDIR.
    for (const p of ["/lf/..", "/d/sub/f/.", "/d/sub/f/../f"])
      expect(await code(fs.stat(p), p)).toBe("ENOTDIR");
  });
});

describe("open flags on symlinks", () => {
  it("O_CREAT follows a dangling symlink, O_CREAT|O_EXCL and O_NOFOLLOW do not", async () => {
    const fs = await tree();
    await fs.symlink("/d/target", "/dangling");
    expect(
      await code(fs.open("/dangling", { write: true, create: true, exclusive: true }), "/dangling"),
    ).toBe("EEXIST");
    expect(await fs.exists("/d/target")).toBe(false);
    expect(await code(fs.open("/lf", { read: true, noFollow: true }), "/lf")).toBe("ELOOP");
    (await fs.open("/dangling", { write: true, create: true })).close();
    expect((await fs.lstat("/d/target")).type).toBe("file");
  });
});

describe("names and paths", () => {
  it("fails with ENAMETOOLONG past 255 bytes in a name or 4095 in a path", async () => {
    const fs = new Vfs(emptyRootLayer());
    await fs.writeFile(`/${"n".repeat(255)}`, "");
    await fs.writeFile(`/${"é".repeat(127)}`, "");
    for (const p of [`/${"n".repeat(256)}`, `/${"é".repeat(128)}`, `/${"n".repeat(256)}/x`]) {
      expect(await code(fs.writeFile(p, ""), p)).toBe("ENAMETOOLONG");
      expect(await code(fs.mkdir(p), p)).toBe("ENAMETOOLONG");
    }
    expect((await fs.stat(`/${"/".repeat(4094)}`)).type).toBe("directory");
    for (const p of [`/${"/".repeat(4095)}`, `/${"é/".repeat(2048)}`]) {
      expect(await code(fs.stat(p), p)).toBe("ENAMETOOLONG");
    }
    expect(await code(fs.symlink("x".repeat(4096), "/long"), "/long")).toBe("ENAMETOOLONG");
    await fs.symlink("x".repeat(4095), "/long");
  });

  it("treats a trailing slash as 'must be a directory' and never follows it to change an entry", async () => {
    const fs = await tree();
    for (const p of ["/d/sub/f/", "/lf/"]) {
      expect(await code(fs.stat(p), p)).toBe("ENOTDIR");
      expect(await code(fs.readFile(p), p)).toBe("ENOTDIR");
      expect(await code(fs.unlink(p), p)).toBe("ENOTDIR");
    }
    expect((await fs.lstat("/ld/")).type).toBe("directory");
    expect(await code(fs.writeFile("/d/new/", "x"), "/d/new/")).toBe("EISDIR");
    expect(await code(fs.symlink("t", "/d/new/"), "/d/new/")).toBe("ENOENT");
    expect(await code(fs.rename("/d/sub/f", "/d/new/"), "/d/new/")).toBe("ENOTDIR");
    await fs.mkdir("/d/new/");
    // On a symlink to a directory, entry operations act on the symlink: it is not a directory.
    await fs.mkdir("/d/empty");
    await fs.symlink("empty", "/d/le");
    expect(await code(fs.rmdir("/d/le/"), "/d/le/")).toBe("ENOTDIR");
    expect(await code(fs.unlink("/d/le/"), "/d/le/")).toBe("ENOTDIR");
    expect(await code(fs.rename("/d/le/", "/d/x"), "/d/le/")).toBe("ENOTDIR");
    expect((await fs.stat("/d/empty")).type).toBe("directory");
    // A dangling symlink is an existing name: mkdir does not create its target (Node's recursive
    // mkdir says ENOENT, as stat does).
    await fs.symlink("nowhere", "/d/dangling");
    expect(await code(fs.mkdir("/d/dangling/"), "/d/dangling/")).toBe("EEXIST");
    expect(await code(fs.mkdir("/d/dangling", { recursive: true }), "/d/dangling")).toBe("ENOENT");
    expect(await fs.exists("/d/nowhere")).toBe(false);
  });
});

describe("directory operations", () => {
  it("refuses to move a directory into its own subtree, however the path is spelled", async () => {
    const fs = await tree();
    await fs.symlink("/d/sub", "/s");
    for (const to of ["/d/sub/x", "/d/x", "/ld/sub/x", "/s/x", "/tmp/../d/sub/x", "/d/sub/../y"]) {
      expect(await code(fs.rename("/d", to), to)).toBe("EINVAL");
    }
    expect(await code(fs.rename("/d/sub", "/d"), "/d")).toBe("ENOTEMPTY");
    expect(await fs.realpath("/d/sub/f")).toBe("/d/sub/f");
  });

  it("answers rmdir, unlink and link on the wrong kind of entry as Linux does", async () => {
    const fs = await tree();
    expect(await code(fs.rmdir("/d"), "/d")).toBe("ENOTEMPTY");
    expect(await code(fs.rmdir("/d/sub/f"), "/d/sub/f")).toBe("ENOTDIR");
    expect(await code(fs.rmdir("/d/sub/."), "/d/sub/.")).toBe("EINVAL");
    expect(await code(fs.rmdir("/d/sub/.."), "/d/sub/..")).toBe("ENOTEMPTY");
    expect(await code(fs.rmdir("/"), "/")).toBe("EBUSY");
    expect(await code(fs.unlink("/d"), "/d")).toBe("EISDIR");
    expect(await code(fs.unlink("/d/sub/.."), "/d/sub/..")).toBe("EISDIR");
    expect(await code(fs.link("/d", "/d2"), "/d")).toBe("EPERM");
    expect(await code(fs.link("/d", "/lf"), "/lf")).toBe("EEXIST");
    expect(await code(fs.rename("/d/sub/..", "/x"), "/d/sub/..")).toBe("EBUSY");
    expect(await code(fs.rename("/d/sub", "/d/."), "/d/.")).toBe("EBUSY");
  });

  it("keeps readdir cookies stable while entries come and go", async () => {
    const fs = new Vfs(emptyRootLayer());
    await fs.mkdir("/d");
    const names = Array.from({ length: 12 }, (_, i) => `f${i}`);
    for (const n of names) await fs.writeFile(`/d/${n}`, n);
    const dir = await fs.open("/d", { read: true, directory: true });
    const seen: string[] = [];
    let cookie = 0;
    for (let round = 0; ; round++) {
      const page = (await dir.readdir(cookie)).slice(0, 3);
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.name));
      for (const e of page) expect(e.cookie).toBeGreaterThan(cookie);
      cookie = page[page.length - 1]!.cookie;
      // Between pages: add names, remove one already listed and one not yet listed.
      await fs.writeFile(`/d/new${round}`, "");
      if (round === 1) await fs.unlink("/d/f0");
      if (round === 1) await fs.unlink("/d/f11");
    }
    dir.close();
    const survivors = names.filter((n) => n !== "f0" && n !== "f11");
    for (const n of survivors) expect(seen.filter((s) => s === n)).toEqual([n]);
    expect(new Set(seen).size).toBe(seen.length);
    // A fresh handle resuming from a cookie sees the entries after it, now.
    const again = await fs.open("/d", { read: true, directory: true });
    const all = await again.readdir(0);
    const after = await (await fs.open("/d", { read: true, directory: true })).readdir(all[4]!.cookie);
    expect(after.map((e) => e.name)).toEqual(all.slice(5).map((e) => e.name));
    again.close();
  });
});

describe("permissions for an unprivileged user", () => {
  it("enforces file and directory mode bits", async () => {
    const fs = await tree();
    await fs.writeFile("/secret", "s", { mode: 0o600 });
    expect(await code(fs.readFile("/secret", USER), "/secret")).toBe("EACCES");
    expect(await code(fs.writeFile("/secret", "x", {}, USER), "/secret")).toBe("EACCES");
    expect((await fs.stat("/secret", USER)).size).toBe(1);
    expect(await code(fs.writeFile("/d/mine", "x", {}, USER), "/d/mine")).toBe("EACCES");
    expect(await code(fs.chmod("/secret", 0o777, USER), "/secret")).toBe("EPERM");
    await fs.chmod("/d", 0o711);
    expect(await code(fs.readdir("/d", USER), "/d")).toBe("EACCES");
    expect((await fs.stat("/d/sub/f", USER)).size).toBe(4);
    await fs.chmod("/d", 0o700);
    expect(await code(fs.stat("/d/sub/f", USER), "/d/sub/f")).toBe("EACCES");
    await fs.writeFile("/group", "g", { mode: 0o640 });
    await fs.chown("/group", 0, 1000);
    expect(text(await fs.readFile("/group", USER))).toBe("g");
    expect(await code(fs.writeFile("/group", "x", {}, USER), "/group")).toBe("EACCES");
    expect(await code(fs.readFile("/group", OTHER), "/group")).toBe("EACCES");
  });

  it("lets only the owner remove or rename a file in sticky /tmp", async () => {
    const fs = await tree();
    await fs.writeFile("/tmp/mine", "m", {}, USER);
    expect(await code(fs.unlink("/tmp/mine", OTHER), "/tmp/mine")).toBe("EPERM");
    expect(await code(fs.rename("/tmp/mine", "/tmp/theirs", OTHER), "/tmp/mine")).toBe("EPERM");
    await fs.writeFile("/tmp/theirs", "t", {}, OTHER);
    expect(await code(fs.rename("/tmp/theirs", "/tmp/mine", OTHER), "/tmp/mine")).toBe("EPERM");
    await fs.rename("/tmp/mine", "/tmp/renamed", USER);
    await fs.unlink("/tmp/renamed", USER);
    await fs.unlink("/tmp/theirs");
  });
});

describe("limits", () => {
  it("fails with EFBIG or ENOSPC naming the limit, and the failed write changes nothing", async () => {
    const maxBytes = (await tree()).inodes.usage.bytes + 1000; // room for 1000 bytes more
    const fs = await tree({ maxFileSize: 100, maxBytes });
    await fs.writeFile("/d/f", "x".repeat(100));
    const usage = { ...fs.inodes.usage };
    let err = await failure(fs.writeFile("/d/f", "y".repeat(101)), "/d/f");
    expect([err.code, err.message]).toEqual(["EFBIG", expect.stringContaining("100 bytes")]);
    expect(text(await fs.readFile("/d/f"))).toBe("x".repeat(100));
    expect(await code(fs.writeFile("/d/f", "z", { append: true }), "/d/f")).toBe("EFBIG");
    err = await failure(fs.writeFile("/d/new/g", "y".repeat(101), { createParents: true }), "/d/new/g");
    expect(err.code).toBe("EFBIG");
    expect(await fs.exists("/d/new")).toBe(false);
    expect(await code(fs.truncate("/d/f", 101), "/d/f")).toBe("EFBIG");
    const f = await fs.open("/d/f", { write: true });
    expect(await code(f.write(enc("w"), 100), "/d/f")).toBe("EFBIG");
    f.close();
    for (let i = 0; i < 9; i++) await fs.writeFile(`/d/n${i}`, "n".repeat(100));
    err = await failure(fs.writeFile("/d/over", "o"), "/d/over");
    expect([err.code, err.message]).toEqual(["ENOSPC", expect.stringContaining(`${maxBytes}`)]);
    expect(await fs.exists("/d/over")).toBe(false);
    expect(fs.inodes.usage.bytes).toBe(usage.bytes + 900);
    await fs.writeFile("/d/n0", "shorter"); // replacing content frees space first
    expect(text(await fs.readFile("/d/f"))).toBe("x".repeat(100));
  });

  it("fails with ENOSPC when the inode limit is reached", async () => {
    const probe = await tree();
    const fs = await tree({ maxInodes: probe.inodes.usage.inodes + 2 });
    await fs.writeFile("/a", "");
    await fs.mkdir("/b");
    const err = await failure(fs.symlink("x", "/c"), "/c");
    expect([err.code, err.message]).toEqual(["ENOSPC", expect.stringContaining("inode limit")]);
    await fs.link("/a", "/hard"); // a hard link needs no inode
    await fs.unlink("/a"); // …and removing one of two names frees none
    expect(await code(fs.mkdir("/c"), "/c")).toBe("ENOSPC");
    await fs.rmdir("/b");
    await fs.symlink("x", "/c");
  });
});

describe("devices", () => {
  it("implements /dev/null, /dev/zero and /dev/full", async () => {
    const fs = await tree({ maxFileSize: 10 });
    expect((await fs.readFile("/dev/null")).length).toBe(0);
    await fs.writeFile("/dev/null", "a".repeat(1000));
    expect((await fs.stat("/dev/null")).type).toBe("chardev");
    const zero = await fs.open("/dev/zero", { read: true, write: true });
    expect(await zero.read(5)).toEqual(new Uint8Array(5));
    expect(await zero.write(enc("ignored"))).toBe(7);
    zero.close();
    const full = await fs.open("/dev/full", { read: true, write: true });
    expect(await full.read(3)).toEqual(new Uint8Array(3));
    expect(await code(full.write(enc("x")), "/dev/full")).toBe("ENOSPC");
    full.close();
    expect(await code(fs.writeFile("/dev/full", "x"), "/dev/full")).toBe("ENOSPC");
    expect((await fs.stat("/dev/full")).type).toBe("chardev");
  });
});
