/** Normal use of `hostDirMount`; escape attempts live in test/adversarial/host-dir.test.ts. */
import * as fs from "node:fs";
import * as os from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFsError } from "../errors.ts";
import type { MountPlugin } from "../types.ts";
import { hostDirMount } from "./host-dir.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);
let root: string;
let m: MountPlugin;

async function codeOf(op: () => unknown): Promise<string> {
  try {
    await op();
  } catch (e) {
    if (isFsError(e)) return e.code;
    throw e;
  }
  throw new Error("expected an FsError");
}

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(join(os.tmpdir(), "agentos-hostdir-")));
  fs.writeFileSync(join(root, "hello.txt"), "hello world");
  fs.mkdirSync(join(root, "sub"));
  m = hostDirMount(root);
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(process.platform === "win32")("hostDirMount", () => {
  it("stats and lists the host directory", async () => {
    expect(await m.lstat("/")).toMatchObject({ type: "directory" });
    expect(await m.lstat("/hello.txt")).toMatchObject({
      type: "file",
      size: 11,
      mode: fs.statSync(join(root, "hello.txt")).mode & 0o7777,
      nlink: 1,
    });
    const names = (await m.readdir("/")).sort((a, b) => a.name.localeCompare(b.name));
    expect(names).toEqual([
      { name: "hello.txt", type: "file" },
      { name: "sub", type: "directory" },
    ]);
  });

  it("reads ranges without reading the whole file", async () => {
    expect(text(await m.read("/hello.txt", 6, 5))).toBe("world");
    expect(text(await m.read("/hello.txt", 6, 1000))).toBe("world");
    expect(await m.read("/hello.txt", 100, 10)).toEqual(new Uint8Array(0));
    // A 1 GiB sparse file: a 4-byte read must not allocate or read the rest.
    await m.create!("/big", 0o644);
    await m.truncate!("/big", 2 ** 30);
    await m.write!("/big", 2 ** 29, bytes("mid!"));
    expect(text(await m.read("/big", 2 ** 29, 4))).toBe("mid!");
  });

  it("creates, writes, truncates and makes directories on the host", async () => {
    await m.create!("/new.txt", 0o640);
    expect(await codeOf(() => m.create!("/new.txt", 0o640))).toBe("EEXIST");
    await m.write!("/new.txt", 2, bytes("ab"));
    expect(fs.readFileSync(join(root, "new.txt"))).toEqual(Buffer.from([0, 0, 97, 98]));
    await m.truncate!("/new.txt", 3);
    expect(fs.readFileSync(join(root, "new.txt"), "latin1")).toBe("\0\0a");
    await m.mkdir!("/sub/deeper", 0o755);
    expect(fs.statSync(join(root, "sub", "deeper")).isDirectory()).toBe(true);
    expect(await codeOf(() => m.mkdir!("/sub", 0o755))).toBe("EEXIST");
    expect(await codeOf(() => m.mkdir!("/", 0o755))).toBe("EEXIST");
  });

  it("renames, links and removes", async () => {
    await m.rename!("/hello.txt", "/sub/moved.txt");
    expect(fs.readFileSync(join(root, "sub", "moved.txt"), "utf8")).toBe("hello world");
    await m.link!("/sub/moved.txt", "/hard.txt");
    expect((await m.lstat("/hard.txt")).nlink).toBe(2);
    await m.unlink!("/sub/moved.txt");
    expect(await codeOf(() => m.rmdir!("/"))).toBe("EBUSY");
    await m.rmdir!("/sub");
    expect(fs.readdirSync(root)).toEqual(["hard.txt"]);
  });

  it("stores symlinks as text", async () => {
    await m.symlink!("/etc/passwd", "/ln");
    expect(await m.readlink!("/ln")).toBe("/etc/passwd");
    expect(fs.readlinkSync(join(root, "ln"))).toBe("/etc/passwd");
    expect(await m.lstat("/ln")).toMatchObject({ type: "symlink", size: 11 });
    expect(await codeOf(() => m.symlink!("x", "/ln"))).toBe("EEXIST");
    expect(await codeOf(() => m.symlink!("", "/empty"))).toBe("ENOENT");
  });

  it("sets modes (never setuid/setgid) and times", async () => {
    await m.chmod!("/hello.txt", 0o600);
    expect(fs.statSync(join(root, "hello.txt")).mode & 0o7777).toBe(0o600);
    await m.chmod!("/hello.txt", 0o6755);
    expect(fs.statSync(join(root, "hello.txt")).mode & 0o7777).toBe(0o755);
    await m.utimes!("/hello.txt", 1_000_000, 2_000_000);
    expect(await m.lstat("/hello.txt")).toMatchObject({ atimeMs: 1_000_000, mtimeMs: 2_000_000 });
  });

  it("maps host errors to POSIX codes and names the plugin path", async () => {
    expect(await codeOf(() => m.lstat("/missing"))).toBe("ENOENT");
    expect(await codeOf(() => m.lstat("/hello.txt/x"))).toBe("ENOTDIR");
    expect(await codeOf(() => m.read("/sub", 0, 1))).toBe("EISDIR");
    expect(await codeOf(() => m.write!("/sub", 0, bytes("x")))).toBe("EISDIR");
    expect(await codeOf(() => m.readdir("/hello.txt"))).toBe("ENOTDIR");
    expect(await codeOf(() => m.unlink!("/sub"))).toBe("EISDIR");
    expect(await codeOf(() => m.readlink!("/hello.txt"))).toBe("EINVAL");
    expect(await codeOf(() => m.link!("/sub", "/sub2"))).toBe("EPERM");
    expect(await codeOf(() => m.rename!("/hello.txt", "/sub"))).toBe("EISDIR");
    expect(await codeOf(() => m.read("/hello.txt", -1, 1))).toBe("EINVAL");
    fs.writeFileSync(join(root, "sub", "f"), "");
    expect(await codeOf(() => m.rmdir!("/sub"))).toBe("ENOTEMPTY");
    const err = await Promise.resolve()
      .then(() => m.lstat("/sub/nope"))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ENOENT", path: "/sub/nope", syscall: "lstat" });
    expect((err as Error).message).not.toContain(root);
  });

  it("mounts a root given through a symlink, and refuses a missing or non-directory root", async () => {
    const alias = `${root}-alias`;
    fs.symlinkSync(root, alias);
    try {
      expect(text(await hostDirMount(alias).read("/hello.txt", 0, 5))).toBe("hello");
    } finally {
      fs.unlinkSync(alias);
    }
    expect(await codeOf(() => hostDirMount(join(root, "missing")))).toBe("ENOENT");
    expect(await codeOf(() => hostDirMount(join(root, "hello.txt")))).toBe("ENOTDIR");
  });
});
