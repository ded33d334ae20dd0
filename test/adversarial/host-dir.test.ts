/**
 * Threat: a VM (or a bug in the VFS above the plugin) hands `hostDirMount` paths crafted to touch
 * host files outside its root. Each escape asserts the error code AND that nothing outside the root
 * changed or was read: stats of the outside files and directories, atimes included (they start
 * older than mtime, so with relatime or strictatime any read of them moves atime).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFsError } from "../../src/fs/errors.ts";
import { hostDirMount } from "../../src/fs/mounts/index.ts";
import type { MountPlugin } from "../../src/fs/types.ts";

const SECRET = "TOP SECRET";
const bytes = (s: string) => new TextEncoder().encode(s);
let base: string;
let root: string;
let m: MountPlugin;
let snapshot: string;

/** Everything about the outside world that a read or a write would change, without reading it. */
function outsideStats(): string {
  const paths = [base, join(base, "secret.txt"), join(base, "outside"), join(base, "outside", "inner.txt")];
  return JSON.stringify(
    paths.map((p) => {
      const s = fs.lstatSync(p);
      return [s.ino, s.mode, s.nlink, s.size, s.atimeMs, s.mtimeMs, s.ctimeMs];
    }),
  );
}

/** Old atimes, older than mtimes, so that relatime updates them on any read. */
function ageOutside(): void {
  for (const p of [
    base,
    join(base, "secret.txt"),
    join(base, "outside"),
    join(base, "outside", "inner.txt"),
  ]) {
    fs.utimesSync(p, 1_000_000_000, 2_000_000_000);
  }
  snapshot = outsideStats();
}

function expectOutsideUntouched(): void {
  expect(outsideStats()).toBe(snapshot);
  expect(fs.readFileSync(join(base, "secret.txt"), "utf8")).toBe(SECRET);
  expect(fs.readdirSync(base).sort()).toEqual(["outside", "root", "secret.txt"]);
  expect(fs.readdirSync(join(base, "outside"))).toEqual(["inner.txt"]);
  ageOutside(); // our own reads above moved atimes
}

/** The operation must fail with `code`, return nothing, and leave the outside untouched. */
async function expectEscapeRefused(code: string, op: () => unknown): Promise<void> {
  let result: unknown;
  let error: unknown;
  try {
    result = await op();
  } catch (e) {
    error = e;
  }
  expect(result).toBeUndefined();
  expect(isFsError(error) ? error.code : error).toBe(code);
  expect((error as Error).message).not.toContain(root); // host paths never leak into VM errors
  expectOutsideUntouched();
}

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(join(os.tmpdir(), "agentos-hostdir-adv-")));
  root = join(base, "root");
  fs.writeFileSync(join(base, "secret.txt"), SECRET);
  fs.mkdirSync(join(base, "outside"));
  fs.writeFileSync(join(base, "outside", "inner.txt"), "OUTSIDE");
  fs.mkdirSync(join(root, "sub"), { recursive: true });
  fs.writeFileSync(join(root, "hello.txt"), "hello");
  fs.symlinkSync(join(base, "secret.txt"), join(root, "to-secret"));
  fs.symlinkSync("../secret.txt", join(root, "to-secret-rel"));
  fs.symlinkSync(join(base, "outside"), join(root, "to-outside"));
  fs.symlinkSync("..", join(root, "up"));
  execFileSync("mkfifo", [join(root, "fifo")]);
  m = hostDirMount(root);
  ageOutside();
});

afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

describe.skipIf(process.platform === "win32")("hostDirMount confinement", () => {
  it("rejects .. and . components anywhere", async () => {
    for (const p of ["/../secret.txt", "/sub/../../secret.txt", "/..", "/./../secret.txt", "/sub/.."]) {
      await expectEscapeRefused("EINVAL", () => m.read(p, 0, 100));
      await expectEscapeRefused("EINVAL", () => m.lstat(p));
    }
    await expectEscapeRefused("EINVAL", () => m.readdir("/.."));
    await expectEscapeRefused("EINVAL", () => m.write!("/../secret.txt", 0, bytes("pwned")));
    await expectEscapeRefused("EINVAL", () => m.unlink!("/../secret.txt"));
    await expectEscapeRefused("EINVAL", () => m.mkdir!("/../evil", 0o755));
    await expectEscapeRefused("EINVAL", () => m.chmod!("/../secret.txt", 0o777));
  });

  it("reads host absolute and relative paths inside the root, never on the host", async () => {
    await expectEscapeRefused("ENOENT", () => m.read(join(base, "secret.txt"), 0, 100));
    await expectEscapeRefused("ENOENT", () => m.lstat("/..\\secret.txt"));
    await expectEscapeRefused("EINVAL", () => m.read("secret.txt", 0, 100));
    await expectEscapeRefused("EINVAL", () => m.read("../secret.txt", 0, 100));
    await expectEscapeRefused("EINVAL", () => m.read(`/${base}/secret.txt`, 0, 100)); // "//"
  });

  it("never follows a symlink to an outside file", async () => {
    for (const link of ["/to-secret", "/to-secret-rel"]) {
      await expectEscapeRefused("ELOOP", () => m.read(link, 0, 100));
      await expectEscapeRefused("ELOOP", () => m.write!(link, 0, bytes("pwned")));
      await expectEscapeRefused("ELOOP", () => m.truncate!(link, 0));
      await expectEscapeRefused("ENOTSUP", () => m.chmod!(link, 0o777));
      await expectEscapeRefused("EEXIST", () => m.create!(link, 0o644));
      await expectEscapeRefused("ENOTDIR", () => m.readdir(link));
      await expectEscapeRefused("ELOOP", () => m.lstat(`${link}/x`));
    }
    expect(await m.lstat("/to-secret")).toMatchObject({ type: "symlink" });
    expect((await m.lstat("/to-secret")).size).not.toBe(SECRET.length);
    // These act on the link itself, as lstat/lutimes/unlink do.
    await m.utimes!("/to-secret", 0, 0);
    await m.unlink!("/to-secret");
    expectOutsideUntouched();
  });

  it("never follows a symlink to an outside directory or to ..", async () => {
    for (const dir of ["/to-outside", "/up", "/up/outside"]) {
      const name = dir.startsWith("/up") ? `${dir}/secret.txt` : `${dir}/inner.txt`;
      await expectEscapeRefused(dir === "/up/outside" ? "ELOOP" : "ENOTDIR", () => m.readdir(dir));
      await expectEscapeRefused("ELOOP", () => m.lstat(name));
      await expectEscapeRefused("ELOOP", () => m.read(name, 0, 100));
      await expectEscapeRefused("ELOOP", () => m.write!(name, 0, bytes("pwned")));
      await expectEscapeRefused("ELOOP", () => m.unlink!(name));
      await expectEscapeRefused("ELOOP", () => m.create!(`${dir}/new`, 0o644));
      await expectEscapeRefused("ELOOP", () => m.mkdir!(`${dir}/new`, 0o755));
      await expectEscapeRefused("ELOOP", () => m.symlink!("x", `${dir}/new`));
      await expectEscapeRefused("ELOOP", () => m.utimes!(name, 0, 0));
      await expectEscapeRefused("ELOOP", () => m.readlink!(name));
    }
    await expectEscapeRefused("ELOOP", () => m.read("/up/root/hello.txt", 0, 100));
    await expectEscapeRefused("ELOOP", () => m.lstat(`/up${"/up".repeat(1000)}/secret.txt`));
    await expectEscapeRefused("ENOTDIR", () => m.rmdir!("/to-outside"));
    expect(await m.readlink!("/up")).toBe("..");
  });

  it("confines rename on both sides", async () => {
    await expectEscapeRefused("EINVAL", () => m.rename!("/hello.txt", "/../stolen"));
    await expectEscapeRefused("ELOOP", () => m.rename!("/hello.txt", "/to-outside/stolen"));
    await expectEscapeRefused("ELOOP", () => m.rename!("/hello.txt", "/up/stolen"));
    await expectEscapeRefused("ELOOP", () => m.rename!("/hello.txt", "/up/secret.txt"));
    await expectEscapeRefused("ELOOP", () => m.rename!("/up/secret.txt", "/got"));
    await expectEscapeRefused("ELOOP", () => m.rename!("/to-outside/inner.txt", "/got"));
    await expectEscapeRefused("EINVAL", () => m.rename!("/../secret.txt", "/got"));
    await expectEscapeRefused("EBUSY", () => m.rename!("/", "/sub/root"));
    // Renaming onto or away a symlink moves the link, not its target.
    await m.rename!("/hello.txt", "/to-secret");
    await m.rename!("/to-outside", "/moved");
    expect(fs.readFileSync(join(root, "to-secret"), "utf8")).toBe("hello");
    expect(fs.readlinkSync(join(root, "moved"))).toBe(join(base, "outside"));
    // Names that look like escapes are just names inside the root.
    for (const name of ["...", ".. ", "..\\..\\secret.txt", "%2e%2e"]) {
      await m.rename!("/to-secret", `/${name}`);
      expect(fs.readFileSync(join(root, name), "utf8")).toBe("hello");
      await m.rename!(`/${name}`, "/to-secret");
    }
    expectOutsideUntouched();
  });

  it("confines link on both sides", async () => {
    await expectEscapeRefused("ELOOP", () => m.link!("/up/secret.txt", "/hard"));
    await expectEscapeRefused("ELOOP", () => m.link!("/to-outside/inner.txt", "/hard"));
    await expectEscapeRefused("EINVAL", () => m.link!("/../secret.txt", "/hard"));
    await expectEscapeRefused("EINVAL", () => m.link!("/hello.txt", "/../hard"));
    await expectEscapeRefused("ELOOP", () => m.link!("/hello.txt", "/to-outside/hard"));
    await expectEscapeRefused("EPERM", () => m.link!("/", "/hard"));
    if (process.platform === "linux") {
      // link(2) on Linux links the symlink itself: the secret gains no link.
      await m.link!("/to-secret", "/hard");
      expect(await m.lstat("/hard")).toMatchObject({ type: "symlink", nlink: 2 });
      await expectEscapeRefused("ELOOP", () => m.read("/hard", 0, 100));
    }
  });

  it("stores symlink text the VM chose without ever following it", async () => {
    await m.symlink!(join(base, "secret.txt"), "/evil");
    await m.symlink!("../secret.txt", "/evil-rel");
    await m.symlink!("/", "/evil-root");
    expect(await m.readlink!("/evil")).toBe(join(base, "secret.txt"));
    await expectEscapeRefused("ELOOP", () => m.read("/evil", 0, 100));
    await expectEscapeRefused("ELOOP", () => m.write!("/evil-rel", 0, bytes("pwned")));
    await expectEscapeRefused("ELOOP", () => m.lstat("/evil-root/etc"));
    await expectEscapeRefused("EINVAL", () => m.symlink!("a\0b", "/l"));
  });

  it("rejects NUL bytes and over-long paths", async () => {
    await expectEscapeRefused("EINVAL", () => m.read("/hello.txt\0/../../secret.txt", 0, 100));
    await expectEscapeRefused("EINVAL", () => m.mkdir!("/a\0", 0o755));
    await expectEscapeRefused("EINVAL", () => m.lstat("\0/etc/passwd"));
    await expectEscapeRefused("ENAMETOOLONG", () => m.lstat(`/${"x".repeat(256)}`));
    await expectEscapeRefused("ENAMETOOLONG", () => m.create!("/sub".repeat(1100), 0o644));
    await expectEscapeRefused("ENOENT", () => m.lstat("/a".repeat(2000)));
  });

  it("reports a host fifo but refuses to open it, without blocking", async () => {
    expect(await m.lstat("/fifo")).toMatchObject({ type: "fifo" });
    expect(await m.readdir("/")).toContainEqual({ name: "fifo", type: "fifo" });
    await expectEscapeRefused("EACCES", () => m.read("/fifo", 0, 1));
    await expectEscapeRefused("EACCES", () => m.write!("/fifo", 0, bytes("x")));
    await expectEscapeRefused("EACCES", () => m.truncate!("/fifo", 0));
  });

  it("read-only answers EROFS to every mutation before touching the host", async () => {
    const ro = hostDirMount(root, { readOnly: true });
    const before = JSON.stringify(
      fs
        .readdirSync(root)
        .sort()
        .map((n) => [n, fs.lstatSync(join(root, n)).ctimeMs]),
    );
    const mutations: Array<() => unknown> = [
      () => ro.write!("/hello.txt", 0, bytes("x")),
      () => ro.create!("/new", 0o644),
      () => ro.truncate!("/hello.txt", 0),
      () => ro.mkdir!("/d", 0o755),
      () => ro.rmdir!("/sub"),
      () => ro.unlink!("/hello.txt"),
      () => ro.unlink!("/to-secret"),
      () => ro.rename!("/hello.txt", "/../stolen"),
      () => ro.symlink!("/etc", "/s"),
      () => ro.link!("/hello.txt", "/h"),
      () => ro.chmod!("/hello.txt", 0o777),
      () => ro.utimes!("/to-secret", 0, 0),
    ];
    for (const op of mutations) await expectEscapeRefused("EROFS", op);
    expect(
      JSON.stringify(
        fs
          .readdirSync(root)
          .sort()
          .map((n) => [n, fs.lstatSync(join(root, n)).ctimeMs]),
      ),
    ).toBe(before);
    expect(new TextDecoder().decode(await ro.read("/hello.txt", 0, 10))).toBe("hello");
  });
});
