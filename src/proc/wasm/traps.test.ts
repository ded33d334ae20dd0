/** The three traps of notes/wasm-commands.md, and the ABI details around them, in-process. */
import { describe, expect, it } from "vitest";
import { Errno, O } from "../../kernel/abi.ts";
import { PREOPEN_V3 } from "./state.ts";
import { harness } from "./testing/harness.ts";
import { WASI_RIGHTS } from "./wasi/constants.ts";

const files = { "/etc/motd": "hi\n", "/home/agent/a.txt": "a\n", "/home/agent/src/": "" };

describe("trap 1: hidden preopens", () => {
  it("v3: 0x40000003 is '/', every other tagged or ordinary fd is EBADF, without syscalls", () => {
    const h = harness("v3", { files });
    expect(h.call("fd_prestat_get", PREOPEN_V3, 16)).toBe(0);
    expect([h.u32(16), h.u32(20)]).toEqual([0, 1]);
    expect(h.call("fd_prestat_dir_name", PREOPEN_V3, 32, 1)).toBe(0);
    expect(h.bytes(32, 1).toString()).toBe("/");
    for (const fd of [PREOPEN_V3 + 1, 0x4000_0000, 3, 4, 0])
      expect(h.call("fd_prestat_get", fd, 16)).toBe(Errno.BADF);
    expect(h.kernel.trace).toEqual([]);
  });

  it("v3: path calls on the preopen go to AT_ROOT; fdstat of it grants every inheritable right", () => {
    const h = harness("v3", { files });
    const [ptr, len] = h.put(100, "etc/motd");
    expect(h.call("path_open", PREOPEN_V3, 1, ptr, len, 0, WASI_RIGHTS.FD_READ, WASI_RIGHTS.ALL, 0, 8)).toBe(
      0,
    );
    expect(h.kernel.fds.get(h.u32(8))).toMatchObject({ path: "/etc/motd", flags: O.READ });
    expect(h.call("fd_fdstat_get", PREOPEN_V3, 200)).toBe(0);
    expect(new DataView(h.memory.buffer).getBigUint64(216, true)).toBe(WASI_RIGHTS.ALL);
    expect(h.call("path_open", PREOPEN_V3 + 1, 1, ptr, len, 0, 0n, 0n, 0, 8)).toBe(Errno.BADF);
  });

  it("legacy: fd 3 is '/', fd 4 is EBADF; the kernel's fd 3 is parked on '/' so opens never get it", () => {
    const h = harness("legacy", { files });
    expect(h.call("fd_prestat_get", 3, 16)).toBe(0);
    expect(h.call("fd_prestat_get", 4, 16)).toBe(Errno.BADF);
    expect(h.kernel.fds.get(3)).toMatchObject({ path: "/", cloexec: true });
    const [ptr, len] = h.put(100, "etc/motd");
    expect(h.call("path_open", 3, 1, ptr, len, 0, WASI_RIGHTS.FD_READ, 0n, 0, 8)).toBe(0);
    expect(h.u32(8)).toBe(4);
  });

  it("legacy: a preopen-relative path means the cwd when it exists there, else the root", () => {
    const h = harness("legacy", { files, cwd: "/home/agent", env: ["PWD=/home/agent"] });
    h.call("fd_prestat_get", 3, 16);
    const cases: [string, string][] = [
      ["a.txt", "/home/agent/a.txt"],
      ["etc/motd", "/etc/motd"],
      [".", "/home/agent"],
    ];
    for (const [path, expected] of cases) {
      const [ptr, len] = h.put(100, path);
      expect(h.call("path_open", 3, 1, ptr, len, 0, WASI_RIGHTS.FD_READ, 0n, 0, 8)).toBe(0);
      expect(h.kernel.fds.get(h.u32(8))?.path).toBe(expected);
    }
  });
});

describe("trap 2: the socket probe", () => {
  it("net_send and net_recv answer EBADF for every fd, without syscalls", () => {
    const h = harness("v3");
    for (const fd of [0, 1, 2, 5]) {
      expect(h.call("net_send", fd, 0, 4, 0, 8)).toBe(Errno.BADF);
      expect(h.call("net_recv", fd, 0, 4, 0, 8)).toBe(Errno.BADF);
    }
    expect(h.kernel.trace).toEqual([]);
  });
});

describe("trap 3: path_mode returns the full st_mode", () => {
  it("v3 (dirfd, path, len, follow): type bits for directories and files, 0 when missing", () => {
    const h = harness("v3", { files });
    const mode = (dirfd: number, path: string) => h.call("path_mode", dirfd, ...h.put(100, path), 1);
    expect(mode(PREOPEN_V3, "home/agent/src")).toBe(0o040755);
    expect(mode(PREOPEN_V3, "etc/motd")).toBe(0o100644);
    expect(mode(PREOPEN_V3, "nope")).toBe(0);
    // Rust std's literal 3 with an absolute path; a relative one with no fd 3 open answers 0.
    expect(mode(3, "/home/agent/src")).toBe(0o040755);
    expect(mode(3, "src")).toBe(0);
  });

  it("legacy (path, len, follow): absolute, or relative to the cwd", () => {
    const h = harness("legacy", { files, cwd: "/home/agent" });
    expect(h.call("path_mode", ...h.put(100, "/etc/motd"), 1)).toBe(0o100644);
    expect(h.call("path_mode", ...h.put(100, "src"), 1)).toBe(0o040755);
  });

  it("fd_mode: S_IFIFO for pipes, S_IFCHR for ttys", () => {
    expect(harness("v3").call("fd_mode", 1)).toBe(0o010600);
    expect(harness("v3", { tty: true }).call("fd_mode", 1)).toBe(0o020620);
  });

  it("path_size and fd_size defer to the WASI filestat (-1)", () => {
    const h = harness("v3", { files });
    expect(h.call("path_size", PREOPEN_V3, ...h.put(100, "etc/motd"), 1)).toBe(-1n);
    expect(h.call("fd_size", 1)).toBe(-1n);
  });
});

describe("fds", () => {
  it("a terminal is a character device without seek/tell rights (wasi-libc's isatty rule)", () => {
    const h = harness("v3", { tty: true });
    expect(h.call("fd_fdstat_get", 1, 0)).toBe(0);
    const dv = new DataView(h.memory.buffer);
    expect(dv.getUint8(0)).toBe(2);
    expect(dv.getBigUint64(8, true) & (WASI_RIGHTS.FD_SEEK | WASI_RIGHTS.FD_TELL)).toBe(0n);
    expect(h.call("isatty", 1, 40)).toBe(0);
    expect(h.u32(40)).toBe(1);
  });

  it("fd_readdir cuts the last entry when the buffer is full and resumes from a cookie", () => {
    const h = harness("v3", { files: { "/d/alpha": "", "/d/beta": "", "/d/gamma": "" } });
    h.call("path_open", PREOPEN_V3, 1, ...h.put(100, "d"), 2, WASI_RIGHTS.FD_READ, 0n, 0, 8);
    const fd = h.u32(8);
    expect(h.call("fd_readdir", fd, 1000, 60, 0n, 16)).toBe(0);
    expect(h.u32(16)).toBe(60); // "." (25) + ".." (26) + 9 bytes of "alpha"'s header
    const dv = new DataView(h.memory.buffer);
    const next = dv.getBigUint64(1000 + 25, true); // d_next of ".."
    expect(h.call("fd_readdir", fd, 1000, 4096, next, 16)).toBe(0);
    const names: string[] = [];
    for (let at = 0; at < h.u32(16); ) {
      const len = dv.getUint32(1000 + at + 16, true);
      names.push(h.bytes(1000 + at + 24, len).toString());
      at += 24 + len;
    }
    expect(names).toEqual(["alpha", "beta", "gamma"]);
  });

  it("path_open maps wasi-libc's O_WRONLY|O_CREAT rights and the announced creation mode", () => {
    const h = harness("v3", { files });
    expect(h.call("set_open_mode", 0o600)).toBe(0);
    const rights = WASI_RIGHTS.ALL & ~(WASI_RIGHTS.FD_READ | WASI_RIGHTS.FD_READDIR);
    expect(
      h.call("path_open", PREOPEN_V3, 1, ...h.put(100, "tmp.txt"), 1 | 8, rights, WASI_RIGHTS.ALL, 0, 8),
    ).toBe(0);
    expect(h.kernel.fds.get(h.u32(8))?.flags).toBe(O.WRITE | O.CREATE | O.TRUNC);
    expect(h.kernel.nodes.get("/tmp.txt")?.mode).toBe(0o100600);
  });

  it("poll_oneoff with one relative clock sleeps in the kernel and reports the clock", () => {
    const h = harness("v3");
    const dv = new DataView(h.memory.buffer);
    dv.setBigUint64(0, 42n, true); // userdata
    dv.setUint8(8, 0); // clock
    dv.setUint32(16, 1, true); // monotonic
    dv.setBigUint64(24, 5_000_000n, true); // 5 ms
    expect(h.call("poll_oneoff", 0, 100, 1, 200)).toBe(0);
    expect(h.kernel.trace).toEqual(["SLEEP"]);
    expect([h.u32(200), dv.getBigUint64(100, true)]).toEqual([1, 42n]);
  });
});
