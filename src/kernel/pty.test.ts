import { describe, expect, it } from "vitest";
import { buildBaseImage, Vfs } from "../fs/index.ts";
import { Errno, FileTypeCode, SIG, Sys } from "./abi.ts";
import { PipeEnd } from "./descriptions.ts";
import { Kernel } from "./kernel.ts";
import { Pipe } from "./pipe.ts";
import { Process } from "./process.ts";
import { CursorTracker, MAX_CANON, Pty } from "./pty.ts";

const dec = new TextDecoder();
const never = new AbortController().signal;

function setup(options: { cols?: number; rows?: number; cursorReports?: boolean } = {}) {
  const out: string[] = [];
  const signals: Array<[number, number]> = [];
  const pty = new Pty({
    ...options,
    onOutput: (d) => out.push(dec.decode(d)),
    onSignal: (pgid, sig) => signals.push([pgid, sig]),
  });
  pty.foregroundPgid = 7;
  const screen = () => out.join("");
  const read = async (max = 4096) => dec.decode(await pty.read(max, true, never));
  return { pty, out, signals, screen, read };
}

describe("Pty line discipline: canonical mode", () => {
  it("buffers a line until Enter, echoes it, maps CR to NL", async () => {
    const { pty, screen, read } = setup();
    pty.write("echo hi");
    expect(pty.readable).toBe(false);
    await expect(pty.read(100, true, never)).rejects.toMatchObject({ errno: Errno.AGAIN });
    pty.write("\r");
    expect(screen()).toBe("echo hi\r\n");
    expect(await read()).toBe("echo hi\n");
  });

  it("returns at most one line per read, and the rest of a line to a short read", async () => {
    const { pty, read } = setup();
    pty.write("one\ntwo\n");
    expect(await read()).toBe("one\n");
    expect(await read(2)).toBe("tw");
    expect(await read()).toBe("o\n");
  });

  it("ERASE (DEL and ^H), WERASE (^W), KILL (^U)", async () => {
    const { pty, screen, read } = setup();
    pty.write("echx\x7fo hi\r");
    expect(await read()).toBe("echo hi\n");
    expect(screen()).toBe("echx\b \bo hi\r\n");
    pty.write("ab\bc\n");
    expect(await read()).toBe("ac\n");
    pty.write("rm -rf  junk\x17keep\n");
    expect(await read()).toBe("rm -rf  keep\n");
    pty.write("oops\x15fine\n");
    expect(await read()).toBe("fine\n");
    pty.write("\x7f\x7fx\n"); // erasing an empty line does nothing
    expect(await read()).toBe("x\n");
  });

  it("erases a UTF-8 character whole", async () => {
    const { pty, read } = setup();
    pty.write("café\x7fe\n");
    expect(await read()).toBe("cafe\n");
  });

  it("^D at the start of a line is end of file; elsewhere it hands over the line", async () => {
    const { pty, read } = setup();
    pty.write("\x04");
    expect(pty.readable).toBe(true);
    expect(pty.available).toBe(0);
    expect(await read()).toBe("");
    pty.write("abc\x04");
    expect(await read()).toBe("abc");
    pty.write("next\n");
    expect(await read()).toBe("next\n");
  });

  it("^C sends SIGINT to the foreground group, discards pending input and echoes ^C", async () => {
    const { pty, signals, screen, read } = setup();
    pty.write("half a line");
    pty.write("\x03");
    expect(signals).toEqual([[7, SIG.INT]]);
    expect(screen()).toBe("half a line^C");
    expect(pty.readable).toBe(false);
    pty.write("\x1c\x1a");
    expect(signals).toEqual([
      [7, SIG.INT],
      [7, SIG.QUIT],
      [7, SIG.TSTP],
    ]);
    pty.write("ok\n");
    expect(await read()).toBe("ok\n");
  });

  it("^V quotes the next character", async () => {
    const { pty, signals, read } = setup();
    pty.write("a\x16\x03b\n");
    expect(signals).toEqual([]);
    expect(await read()).toBe("a\x03b\n");
  });

  it("caps a line at MAX_CANON bytes", async () => {
    const { pty, read } = setup();
    pty.write("x".repeat(MAX_CANON + 100));
    pty.write("\n");
    expect((await read(1 << 16)).length).toBe(MAX_CANON);
  });

  it("maps NL to CR NL on output (ONLCR)", () => {
    const { pty, screen } = setup();
    pty.slaveWrite(new TextEncoder().encode("a\nb\n"));
    expect(screen()).toBe("a\r\nb\r\n");
  });

  it("a blocked reader wakes when a line completes", async () => {
    const { pty } = setup();
    const pending = pty.read(100, false, never);
    pty.write("x");
    await new Promise((r) => setTimeout(r, 5));
    pty.write("\r");
    expect(dec.decode(await pending)).toBe("x\n");
  });

  it("a blocked read fails with EINTR when the reader is signalled", async () => {
    const { pty } = setup();
    const ac = new AbortController();
    const pending = pty.read(100, false, ac.signal);
    ac.abort();
    await expect(pending).rejects.toMatchObject({ errno: Errno.INTR });
  });
});

describe("Pty line discipline: raw mode", () => {
  it("no echo, no buffering, no signals, no CR mapping; bytes as typed", async () => {
    const { pty, screen, signals, read } = setup();
    pty.setRaw(true);
    pty.write("ab\r\x03\x7f\x04");
    expect(screen()).toBe("");
    expect(signals).toEqual([]);
    expect(await read()).toBe("ab\r\x03\x7f\x04");
    pty.slaveWrite(new TextEncoder().encode("x\ny"));
    expect(screen()).toBe("x\ny");
  });

  it("a line being edited becomes readable when switching to raw", async () => {
    const { pty, read } = setup();
    pty.write("par");
    pty.setRaw(true);
    expect(await read()).toBe("par");
    pty.setRaw(false);
    pty.write("t\n");
    expect(await read()).toBe("t\n");
  });

  it("readTimeout returns empty after the deadline, data as soon as it comes", async () => {
    const { pty } = setup();
    pty.setRaw(true);
    const t0 = Date.now();
    expect((await pty.readTimeout(10, 30, never)).length).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    setTimeout(() => pty.write("k"), 10);
    expect(dec.decode(await pty.readTimeout(10, 1000, never))).toBe("k");
    expect((await pty.readTimeout(10, 0, never)).length).toBe(0);
  });
});

describe("Pty cursor reports, window size, hangup", () => {
  it("answers ESC[6n from the cursor tracker and does not pass the query on", async () => {
    const { pty, screen, read } = setup({ cols: 80, rows: 24 });
    pty.setRaw(true);
    pty.slaveWrite(new TextEncoder().encode("line1\r\nab"));
    pty.slaveWrite(new TextEncoder().encode("\x1b[6n"));
    expect(screen()).toBe("line1\r\nab");
    expect(await read()).toBe("\x1b[2;3R");
  });

  it("recognises a query split across writes, and passes other escapes through", async () => {
    const { pty, screen, read } = setup();
    pty.setRaw(true);
    const w = (s: string) => pty.slaveWrite(new TextEncoder().encode(s));
    w("\x1b[31mred\x1b");
    w("[");
    w("6");
    w("n");
    expect(screen()).toBe("\x1b[31mred");
    expect(await read()).toBe("\x1b[1;4R");
    w("\x1b[5;10H\x1b[6n");
    expect(await read()).toBe("\x1b[5;10R");
  });

  it("releases a lone trailing ESC shortly", async () => {
    const { pty, screen } = setup();
    pty.slaveWrite(new TextEncoder().encode("a\x1b"));
    expect(screen()).toBe("a");
    await new Promise((r) => setTimeout(r, 30));
    expect(screen()).toBe("a\x1b");
  });

  it("with cursorReports off, the query reaches the master", () => {
    const { pty, screen } = setup({ cursorReports: false });
    pty.slaveWrite(new TextEncoder().encode("\x1b[6n"));
    expect(screen()).toBe("\x1b[6n");
    expect(pty.readable).toBe(false);
  });

  it("resize records the size and sends SIGWINCH to the foreground group once per change", () => {
    const { pty, signals } = setup();
    pty.resize(120, 40);
    pty.resize(120, 40);
    expect([pty.cols, pty.rows]).toEqual([120, 40]);
    expect(signals).toEqual([[7, SIG.WINCH]]);
    expect(() => pty.resize(0, 10)).toThrow(RangeError);
  });

  it("after hangup, reads return end of file and writes fail with EIO", async () => {
    const { pty } = setup();
    const pending = pty.read(10, false, never);
    pty.hangup();
    expect((await pending).length).toBe(0);
    expect(() => pty.slaveWrite(new Uint8Array([65]))).toThrow(expect.objectContaining({ errno: Errno.IO }));
  });
});

describe("CursorTracker", () => {
  it("tracks printable characters, CR, LF, BS, TAB, wrapping and scrolling", () => {
    const t = new CursorTracker(10, 3);
    const feed = (s: string) => {
      for (const b of new TextEncoder().encode(s)) t.feed(b);
    };
    feed("abc");
    expect([t.row, t.col]).toEqual([0, 3]);
    feed("\b\b");
    expect([t.row, t.col]).toEqual([0, 1]);
    feed("\t");
    expect(t.col).toBe(8);
    feed("\r\n\n\n\n");
    expect([t.row, t.col]).toEqual([2, 0]);
    feed("0123456789");
    expect([t.row, t.col]).toEqual([2, 9]); // pending wrap at the last column
    feed("x");
    expect([t.row, t.col]).toEqual([2, 1]);
    feed("é");
    expect(t.col).toBe(2);
    feed("\x1b]0;title\x07\x1b[1;1H\x1b[2B\x1b[3C");
    expect([t.row, t.col]).toEqual([2, 3]);
  });
});

describe("terminal syscalls", () => {
  async function proc() {
    const vfs = new Vfs(await buildBaseImage());
    const kernel = new Kernel({
      vfs,
      sources: { commands: new Map(), hostCommands: new Map() },
      wasmRunner: {
        start() {
          throw new Error("no wasm");
        },
      },
      hostname: "test",
    });
    const pty = new Pty({ cols: 100, rows: 30 });
    const fds = kernel.newFdTable();
    fds.set(0, pty.openSlave());
    fds.set(1, new PipeEnd(new Pipe(), "write"));
    const p = new Process({
      pid: 42,
      ppid: 1,
      pgid: 42,
      argv: ["t"],
      env: [],
      cwd: "/",
      cred: { uid: 1000, gid: 1000 },
      fds,
    });
    return { kernel, pty, p };
  }

  it("ISATTY, FDSTAT, TTY_SIZE, TTY_SET_RAW, TTY_READ on a pty slave; NOTTY elsewhere", async () => {
    const { kernel, pty, p } = await proc();
    const call = (op: number, args: Array<number | Uint8Array>) => kernel.syscall(p, op, args);
    expect((await call(Sys.ISATTY, [0])).values).toEqual([1]);
    expect((await call(Sys.ISATTY, [1])).values).toEqual([0]);
    expect((await call(Sys.FDSTAT, [0])).values[0]).toBe(FileTypeCode.CHARACTER_DEVICE);
    expect((await call(Sys.FSTAT, [0])).values[0]).toBe(FileTypeCode.CHARACTER_DEVICE);
    expect((await call(Sys.TTY_SIZE, [0])).values).toEqual([100, 30]);
    pty.resize(90, 20);
    expect((await call(Sys.TTY_SIZE, [0])).values).toEqual([90, 20]);
    expect((await call(Sys.TTY_SIZE, [1])).errno).toBe(Errno.NOTTY);
    expect((await call(Sys.TTY_SET_RAW, [1, 1])).errno).toBe(Errno.NOTTY);
    expect((await call(Sys.TTY_READ, [1, 0])).errno).toBe(Errno.NOTTY);
    expect((await call(Sys.TTY_SIZE, [9])).errno).toBe(Errno.BADF);

    expect((await call(Sys.TTY_SET_RAW, [0, 1])).errno).toBe(0);
    expect(pty.raw).toBe(true);
    const timedOut = await call(Sys.TTY_READ, [0, 20]);
    expect(timedOut.errno).toBe(0);
    expect((timedOut.values[0] as Uint8Array).length).toBe(0);
    const reading = call(Sys.TTY_READ, [0, -1]);
    pty.write("xy");
    expect(dec.decode((await reading).values[0] as Uint8Array)).toBe("xy");
    await call(Sys.TTY_SET_RAW, [0, 0]);
    expect(pty.raw).toBe(false);
  });

  it("POLL sees a pty slave become readable", async () => {
    const { kernel, pty, p } = await proc();
    const subs = new Uint8Array(5);
    new DataView(subs.buffer).setUint32(0, 0, true);
    subs[4] = 1;
    const none = await kernel.syscall(p, Sys.POLL, [subs, 0]);
    expect((none.values[0] as Uint8Array).length).toBe(0);
    const polling = kernel.syscall(p, Sys.POLL, [subs, 5000]);
    setTimeout(() => pty.write("hi\n"), 10);
    const ev = (await polling).values[0] as Uint8Array;
    expect(ev.length).toBe(10);
    expect(new DataView(ev.buffer).getUint32(5, true)).toBe(3);
  });
});

describe("cursor tracking sees echo", () => {
  it("counts echoed input in the cursor report", async () => {
    const { pty } = setup();
    pty.write("abc\x7f");
    pty.slaveWrite(new TextEncoder().encode("\x1b[6n"));
    expect(dec.decode(await pty.read(100, true, never))).toBe("\x1b[1;3R");
  });
});
