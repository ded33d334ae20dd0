/**
 * `host_fs` path calls that carry the path "as the program holds it" (relative to its cwd): the
 * patched Rust std's `fs::set_permissions` (chmod with a literal fd 3) and `fs::metadata` /
 * uu_stat (path_mode on the preopen or a literal 3, right after libc's own stat of the file).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AT_FDCWD, AT_ROOT, Sys } from "../../kernel/abi.ts";
import type { SyscallArg } from "../../kernel/channel/index.ts";
import { PREOPEN_V3 } from "./state.ts";
import { harness } from "./testing/harness.ts";
import { runCommand, WorkerPool } from "./testing/run.ts";

const files = { "/home/agent/a.txt": "a\n", "/home/agent/etc/": "", "/etc/": "" };
const inHome = { files, cwd: "/home/agent", env: ["PWD=/home/agent"] };
const LOOKUP_FOLLOW = 1;

function calls(op: number) {
  const seen: SyscallArg[][] = [];
  return {
    seen,
    override: (o: number, args: SyscallArg[]) => {
      if (o === op) seen.push([...args]);
      return undefined;
    },
  };
}

describe("host_fs.chmod", () => {
  it("a literal fd 3 with a relative path (Rust std set_permissions) means the cwd", () => {
    const chmod = calls(Sys.CHMOD);
    const h = harness("v3", { ...inHome, override: chmod.override });
    const [ptr, len] = h.put(100, "a.txt");
    expect(h.call("chmod", 3, ptr, len, 0o600)).toBe(0);
    expect(chmod.seen).toEqual([[AT_FDCWD, "a.txt", 0o600, 1]]);
    expect(h.kernel.nodes.get("/home/agent/a.txt")?.mode).toBe(0o100600);
  });

  it("libc's chmod (the preopen, a path relative to '/') and absolute paths are unchanged", () => {
    const chmod = calls(Sys.CHMOD);
    const h = harness("v3", { ...inHome, override: chmod.override });
    const [ptr, len] = h.put(100, "home/agent/a.txt");
    expect(h.call("chmod", PREOPEN_V3, ptr, len, 0o640)).toBe(0);
    const [aptr, alen] = h.put(200, "/home/agent/a.txt");
    expect(h.call("chmod", 3, aptr, alen, 0o644)).toBe(0);
    expect(chmod.seen).toEqual([
      [AT_ROOT, "home/agent/a.txt", 0o640, 1],
      [AT_ROOT, "/home/agent/a.txt", 0o644, 1],
    ]);
  });
});

describe("host_fs.path_owner and path_chown", () => {
  it("dirfd -1 (u32::MAX, agentOS's wasi-ext for chown/chgrp) means a path as held: the cwd", () => {
    const chown = calls(Sys.CHOWN);
    const h = harness("v3", {
      ...inHome,
      override: (op, args) =>
        chown.override(op, args) ?? (op === Sys.CHOWN ? { errno: 0, values: [] } : undefined),
    });
    const [ptr, len] = h.put(100, "a.txt");
    expect(h.call("path_owner", -1, ptr, len, 1, 300, 304)).toBe(0);
    expect([h.u32(300), h.u32(304)]).toEqual([1000, 1000]);
    expect(h.call("path_chown", -1, ptr, len, 1000, 50, 1)).toBe(0);
    const [abs, absLen] = h.put(200, "/home/agent/a.txt");
    expect(h.call("path_chown", -1, abs, absLen, 1000, 50, 0)).toBe(0);
    expect(chown.seen).toEqual([
      [AT_FDCWD, "a.txt", 1000, 50, 1],
      [AT_ROOT, "/home/agent/a.txt", 1000, 50, 0],
    ]);
  });
});

describe("host_fs.path_mode after a stat", () => {
  function statThenModes() {
    const h = harness("v3", inHome);
    h.kernel.nodes.get("/home/agent/etc")!.mode = 0o040700;
    const [ptr, len] = h.put(100, "home/agent/etc");
    expect(h.call("path_filestat_get", PREOPEN_V3, LOOKUP_FOLLOW, ptr, len, 400)).toBe(0);
    return h;
  }

  it("answers libc's own call and the Rust std/uu_stat call with a cwd-relative path from that stat", () => {
    const h = statThenModes();
    const [full, fullLen] = h.put(100, "home/agent/etc");
    const [rel, relLen] = h.put(200, "etc");
    expect(h.call("path_mode", PREOPEN_V3, full, fullLen, 1)).toBe(0o040700);
    // Not /etc (0o040755), which the same relative name means from the root preopen.
    expect(h.call("path_mode", PREOPEN_V3, rel, relLen, 1)).toBe(0o040700);
    expect(h.call("path_mode", 3, rel, relLen, 1)).toBe(0o040700);
    expect(h.kernel.trace).toEqual(["STAT"]);
  });

  it("does not reuse the stat after another syscall, nor for another file or follow flag", () => {
    const h = statThenModes();
    const [rel, relLen] = h.put(200, "etc");
    expect(h.call("path_mode", PREOPEN_V3, rel, relLen, 0)).toBe(0o040755); // lstat: not the same call
    const again = statThenModes();
    const [other, otherLen] = again.put(200, "tc");
    expect(again.call("path_mode", PREOPEN_V3, other, otherLen, 1)).toBe(0); // "tc" is not a whole component
  });

  it("a literal fd 3 that is not an open directory resolves a relative path against the cwd", () => {
    const h = harness("v3", inHome);
    h.kernel.nodes.get("/home/agent/etc")!.mode = 0o040700;
    const [rel, relLen] = h.put(200, "etc");
    expect(h.call("path_mode", 3, rel, relLen, 1)).toBe(0o040700);
    expect(h.kernel.trace).toEqual(["STAT", "STAT"]); // (3, "etc") is EBADF, then (AT_FDCWD, "etc")
  });
});

describe("memory devices", () => {
  // /dev/null as the kernel describes it: a character device 1:3, mode 0666.
  const devNull = [2, 0o020666, 30, 1, 0, 0, 0, 0, 0, 0, 0x103, 1];
  const override = (op: number) => (op === Sys.STAT ? { errno: 0, values: devNull } : undefined);

  it("are regular files to the commands (uutils rejects character devices as inputs)", () => {
    const h = harness("v3", { override });
    const [ptr, len] = h.put(100, "dev/null");
    expect(h.call("path_mode", PREOPEN_V3, ptr, len, 1)).toBe(0o100666);
  });

  it("keep S_IFCHR for the shell, whose noclobber check refuses to overwrite a regular file", () => {
    const h = harness("v3", { override, payload: { trueDeviceTypes: true } });
    const [ptr, len] = h.put(100, "dev/null");
    expect(h.call("path_mode", PREOPEN_V3, ptr, len, 1)).toBe(0o020666);
  });
});

describe("real commands", () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = new WorkerPool({ spares: 1 });
  });
  afterAll(() => pool.shutdown());

  it("chmod changes a file named relative to the cwd (it used to fail with EBADF)", async () => {
    const { exit, kernel } = await runCommand(pool, ["chmod", "600", "a.txt"], inHome);
    expect(exit).toEqual({ type: "exit", code: 0 });
    expect(kernel.nodes.get("/home/agent/a.txt")?.mode).toBe(0o100600);
  });

  it("chgrp names a file relative to the cwd (it used to fail: 'stat failed with errno 44')", async () => {
    const chown = calls(Sys.CHOWN);
    const { exit, kernel } = await runCommand(pool, ["chgrp", "1000", "a.txt"], {
      ...inHome,
      override: (op, args) =>
        chown.override(op, args) ?? (op === Sys.CHOWN ? { errno: 0, values: [] } : undefined),
    });
    expect(kernel.stderr).toBe("");
    expect(exit).toEqual({ type: "exit", code: 0 });
    expect(chown.seen).toEqual([[AT_FDCWD, "a.txt", 1000, 1000, 1]]); // chgrp keeps the owner it read
  });

  it("stat -c %a of a relative name prints that file's mode, not its namesake under '/'", async () => {
    const { exit, kernel } = await runCommand(pool, ["stat", "-c", "%a", "etc"], {
      ...inHome,
      modes: { "/home/agent/etc": 0o700 },
    });
    expect(exit).toEqual({ type: "exit", code: 0 });
    expect(kernel.stdout).toBe("700\n");
  });
});
