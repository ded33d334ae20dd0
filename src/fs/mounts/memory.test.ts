import { describe, expect, it } from "vitest";
import { isFsError } from "../errors.ts";
import type { MountPlugin } from "../types.ts";
import { memoryMount } from "./memory.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

/** Run `op` and return the FsError code it threw (sync or async), failing if it did not throw. */
async function codeOf(op: () => unknown): Promise<string> {
  try {
    await op();
  } catch (e) {
    if (isFsError(e)) return e.code;
    throw e;
  }
  throw new Error("expected an FsError");
}

function seeded(readOnly = false): MountPlugin {
  return memoryMount({
    readOnly,
    files: { "/a.txt": "hello", "dir/b.bin": new Uint8Array([1, 2, 3]), "empty/": "" },
  });
}

describe("memoryMount", () => {
  it("seeds files and parent directories", async () => {
    const m = seeded();
    expect(await m.readdir("/")).toEqual([
      { name: "a.txt", type: "file" },
      { name: "dir", type: "directory" },
      { name: "empty", type: "directory" },
    ]);
    expect(text(await m.read("/a.txt", 0, 100))).toBe("hello");
    expect(await m.read("/dir/b.bin", 1, 1)).toEqual(new Uint8Array([2]));
    expect(await m.readdir("/empty")).toEqual([]);
    expect(await m.lstat("/a.txt")).toMatchObject({ type: "file", size: 5, mode: 0o644, nlink: 1 });
    expect(await m.lstat("/")).toMatchObject({ type: "directory", nlink: 4 });
  });

  it("copies seeded bytes and returned bytes", async () => {
    const source = new Uint8Array([9, 9]);
    const m = memoryMount({ files: { f: source } });
    source[0] = 0;
    const out = await m.read("/f", 0, 2);
    out[1] = 0;
    expect(await m.read("/f", 0, 2)).toEqual(new Uint8Array([9, 9]));
  });

  it("rejects conflicting seeds", () => {
    expect(() => memoryMount({ files: { a: "x", "a/b": "y" } })).toThrow(/ENOTDIR/);
  });

  it("creates, writes sparsely, reads ranges and truncates", async () => {
    const m = seeded();
    await m.create!("/n", 0o600);
    expect(await codeOf(() => m.create!("/n", 0o600))).toBe("EEXIST");
    await m.write!("/n", 3, bytes("xy"));
    expect(await m.read("/n", 0, 10)).toEqual(new Uint8Array([0, 0, 0, 120, 121]));
    expect(await m.read("/n", 5, 10)).toEqual(new Uint8Array(0));
    expect(await m.read("/n", 50, 10)).toEqual(new Uint8Array(0));
    await m.truncate!("/n", 1);
    await m.truncate!("/n", 4);
    expect(await m.read("/n", 0, 10)).toEqual(new Uint8Array(4));
    await m.write!("/n", 10, new Uint8Array(0));
    expect((await m.lstat("/n")).size).toBe(4);
    expect(await m.lstat("/n")).toMatchObject({ mode: 0o600 });
  });

  it("grows a file by many appends", async () => {
    const m = memoryMount();
    await m.create!("/log", 0o644);
    for (let i = 0; i < 1000; i++) await m.write!("/log", i * 3, bytes("abc"));
    expect((await m.lstat("/log")).size).toBe(3000);
    expect(text(await m.read("/log", 2997, 10))).toBe("abc");
  });

  it("answers POSIX errors", async () => {
    const m = seeded();
    expect(await codeOf(() => m.lstat("/missing"))).toBe("ENOENT");
    expect(await codeOf(() => m.lstat("/a.txt/x"))).toBe("ENOTDIR");
    expect(await codeOf(() => m.read("/dir", 0, 1))).toBe("EISDIR");
    expect(await codeOf(() => m.write!("/dir", 0, bytes("x")))).toBe("EISDIR");
    expect(await codeOf(() => m.write!("/nope", 0, bytes("x")))).toBe("ENOENT");
    expect(await codeOf(() => m.readdir("/a.txt"))).toBe("ENOTDIR");
    expect(await codeOf(() => m.mkdir!("/dir", 0o755))).toBe("EEXIST");
    expect(await codeOf(() => m.mkdir!("/x/y", 0o755))).toBe("ENOENT");
    expect(await codeOf(() => m.rmdir!("/dir"))).toBe("ENOTEMPTY");
    expect(await codeOf(() => m.rmdir!("/a.txt"))).toBe("ENOTDIR");
    expect(await codeOf(() => m.rmdir!("/"))).toBe("EBUSY");
    expect(await codeOf(() => m.unlink!("/dir"))).toBe("EISDIR");
    expect(await codeOf(() => m.readlink!("/a.txt"))).toBe("EINVAL");
    expect(await codeOf(() => m.link!("/dir", "/d2"))).toBe("EPERM");
    expect(await codeOf(() => m.symlink!("", "/s"))).toBe("ENOENT");
    expect(await codeOf(() => m.read("/a.txt", -1, 1))).toBe("EINVAL");
    expect(await codeOf(() => m.truncate!("/a.txt", 2 ** 40))).toBe("EFBIG");
  });

  it("rejects paths a normalised path cannot be", async () => {
    const m = seeded();
    for (const p of ["a.txt", "/dir/../a.txt", "/./a.txt", "/dir//b.bin", "/dir/", "/a\0.txt", ""]) {
      expect(await codeOf(() => m.lstat(p))).toBe("EINVAL");
    }
    expect(await codeOf(() => m.lstat(`/${"x".repeat(256)}`))).toBe("ENAMETOOLONG");
    expect(await codeOf(() => m.lstat("/a".repeat(2100)))).toBe("ENAMETOOLONG");
  });

  it("keeps symlinks as text and never follows them", async () => {
    const m = seeded();
    await m.symlink!("/dir", "/ln");
    expect(await m.readlink!("/ln")).toBe("/dir");
    expect(await m.lstat("/ln")).toMatchObject({ type: "symlink", size: 4 });
    expect(await codeOf(() => m.readdir("/ln"))).toBe("ENOTDIR");
    expect(await codeOf(() => m.lstat("/ln/b.bin"))).toBe("ELOOP");
    expect(await codeOf(() => m.read("/ln", 0, 1))).toBe("ELOOP");
    expect(await codeOf(() => m.chmod!("/ln", 0o600))).toBe("ENOTSUP");
    expect(await codeOf(() => m.symlink!("x", "/ln"))).toBe("EEXIST");
    await m.unlink!("/ln");
    expect(await m.readdir("/dir")).toHaveLength(1);
  });

  it("renames with POSIX rules", async () => {
    const m = seeded();
    await m.rename!("/a.txt", "/dir/a2.txt");
    expect(text(await m.read("/dir/a2.txt", 0, 5))).toBe("hello");
    expect(await codeOf(() => m.lstat("/a.txt"))).toBe("ENOENT");
    expect(await codeOf(() => m.rename!("/dir", "/dir/sub"))).toBe("EINVAL");
    expect(await codeOf(() => m.rename!("/dir/a2.txt", "/empty"))).toBe("EISDIR");
    expect(await codeOf(() => m.rename!("/empty", "/dir/a2.txt"))).toBe("ENOTDIR");
    expect(await codeOf(() => m.rename!("/empty", "/dir"))).toBe("ENOTEMPTY");
    expect(await codeOf(() => m.rename!("/", "/x"))).toBe("EBUSY");
    await m.rename!("/dir", "/empty");
    expect((await m.readdir("/empty")).map((e) => e.name).sort()).toEqual(["a2.txt", "b.bin"]);
    await m.rename!("/empty/b.bin", "/empty/a2.txt");
    expect(await m.read("/empty/a2.txt", 0, 9)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("hard links share content and count links", async () => {
    const m = seeded();
    await m.link!("/a.txt", "/h");
    expect((await m.lstat("/a.txt")).nlink).toBe(2);
    await m.write!("/h", 0, bytes("J"));
    expect(text(await m.read("/a.txt", 0, 5))).toBe("Jello");
    await m.rename!("/a.txt", "/h");
    expect((await m.readdir("/")).map((e) => e.name)).toContain("a.txt");
    await m.unlink!("/a.txt");
    expect(await m.lstat("/h")).toMatchObject({ nlink: 1, ino: expect.any(Number) });
  });

  it("sets modes and times", async () => {
    const m = seeded();
    await m.chmod!("/a.txt", 0o104755);
    await m.utimes!("/a.txt", 1_000, 2_000);
    expect(await m.lstat("/a.txt")).toMatchObject({ mode: 0o4755, atimeMs: 1_000, mtimeMs: 2_000 });
  });

  it("read-only answers EROFS to every mutation and changes nothing", async () => {
    const m = seeded(true);
    expect(m.readOnly).toBe(true);
    const mutations: Array<() => unknown> = [
      () => m.write!("/a.txt", 0, bytes("x")),
      () => m.create!("/n", 0o644),
      () => m.truncate!("/a.txt", 0),
      () => m.mkdir!("/d", 0o755),
      () => m.rmdir!("/empty"),
      () => m.unlink!("/a.txt"),
      () => m.rename!("/a.txt", "/b"),
      () => m.symlink!("x", "/s"),
      () => m.link!("/a.txt", "/h"),
      () => m.chmod!("/a.txt", 0o777),
      () => m.utimes!("/a.txt", 0, 0),
    ];
    for (const op of mutations) expect(await codeOf(op)).toBe("EROFS");
    expect(text(await m.read("/a.txt", 0, 9))).toBe("hello");
    expect((await m.readdir("/")).length).toBe(3);
  });
});
