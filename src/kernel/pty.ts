/**
 * Pseudo-terminals. The master side is held by the host (`src/proc/shells.ts`): it writes what the
 * user types and receives everything the programs print. The slave side is an open file
 * description (`PtySlave`) installed as a process's fds 0–2: `isatty` is true, its type is a
 * character device, and reads and writes go through a line discipline, as n_tty does on Linux:
 *
 * - canonical mode (the default, "cooked"): input is edited and buffered a line at a time. ERASE
 *   (DEL or ^H) deletes a character, WERASE (^W) a word, KILL (^U) the line; ^D at the start of a
 *   line makes a read return 0 (end of file), elsewhere it hands over the line without a newline.
 *   A read returns at most one line.
 * - echo (canonical mode only): what is typed is echoed to the master, erasures as `\b \b`,
 *   control characters as `^X`.
 * - ICRNL: a CR typed becomes NL. ONLCR: a NL printed becomes CR NL (both off in raw mode).
 * - raw mode (`Sys.TTY_SET_RAW`, what crossterm's `enable_raw_mode` asks: cfmakeraw): no echo, no
 *   line buffering, no signals, no CR/NL mapping; bytes are readable as typed.
 * - ISIG (canonical mode): ^C sends SIGINT, ^\ SIGQUIT, ^Z SIGTSTP to the foreground process group,
 *   after discarding pending input.
 * - window size: `resize` records (cols, rows) and sends SIGWINCH to the foreground group.
 * - cursor reports: a program that writes the Device Status Report query `ESC[6n` gets
 *   `ESC[row;colR` back as input, computed by a minimal cursor tracker (see `CursorTracker`), and
 *   the query is not passed to the master (so a terminal emulator on the host does not answer it a
 *   second time). Turn it off with `cursorReports: false` when the host's emulator answers itself.
 */

import type { VfsStat } from "../fs/index.ts";
import { Errno, FileTypeCode, O, SIG } from "./abi.ts";
import { Description, type IoContext } from "./descriptions.ts";
import { kerr } from "./errors.ts";
import { waitOrAbort } from "./pipe.ts";
import { WaitQueue } from "./wait-queue.ts";

/** Longest line canonical mode buffers (Linux's N_TTY_BUF_SIZE); more input is dropped. */
export const MAX_CANON = 4096;
/** Most unread input kept (raw mode, or completed lines nobody reads yet); more is dropped. */
export const MAX_INPUT = 1 << 20;

const CC = {
  INTR: 0x03, // ^C
  QUIT: 0x1c, // ^\
  SUSP: 0x1a, // ^Z
  EOF: 0x04, // ^D
  ERASE: 0x7f, // DEL
  ERASE2: 0x08, // ^H
  KILL: 0x15, // ^U
  WERASE: 0x17, // ^W
  LNEXT: 0x16, // ^V
  REPRINT: 0x12, // ^R
} as const;

const NL = 0x0a;
const CR = 0x0d;
const ESC = 0x1b;
const TAB = 0x09;

export interface PtyOptions {
  cols?: number;
  rows?: number;
  /** Answer `ESC[6n` from the cursor tracker (default true). */
  cursorReports?: boolean;
  /** Everything the master reads: echo and program output, already post-processed. */
  onOutput?: (data: Uint8Array) => void;
  /** Send `sig` to process group `pgid` (the kernel's kill); errors are the callee's business. */
  onSignal?: (pgid: number, sig: number) => void;
}

export interface Termios {
  /** Canonical (line-by-line) input. */
  icanon: boolean;
  echo: boolean;
  /** ^C, ^\, ^Z raise signals. */
  isig: boolean;
  /** CR typed → NL. */
  icrnl: boolean;
  /** NL printed → CR NL. */
  onlcr: boolean;
}

const COOKED: Termios = { icanon: true, echo: true, isig: true, icrnl: true, onlcr: true };
const RAW: Termios = { icanon: false, echo: false, isig: false, icrnl: false, onlcr: false };

type InputItem = Uint8Array | "eof";

let ptyIno = 2_000_000;

export class Pty {
  cols: number;
  rows: number;
  /** The foreground process group (tcsetpgrp): receives ^C/^\/^Z signals and SIGWINCH. 0 = none. */
  foregroundPgid = 0;
  readonly index: number;
  termios: Termios = { ...COOKED };
  /** Woken when input becomes readable, or on hangup. */
  readonly changed = new WaitQueue();
  readonly cursor: CursorTracker;
  private readonly cursorReports: boolean;
  private onOutput: (data: Uint8Array) => void;
  private onSignal: (pgid: number, sig: number) => void;
  /** The line being edited (canonical mode). */
  private line: number[] = [];
  /** Input ready for the slave's reads: lines (canonical) or byte runs (raw), and EOF marks. */
  private ready: InputItem[] = [];
  private readyBytes = 0;
  private lnext = false;
  private hungUp = false;
  /** Output bytes held back while they may be the start of `ESC[6n`. */
  private held: number[] = [];
  private heldTimer: ReturnType<typeof setTimeout> | undefined;
  private slaves = 0;

  constructor(options: PtyOptions = {}) {
    this.cols = options.cols ?? 80;
    this.rows = options.rows ?? 24;
    this.cursorReports = options.cursorReports ?? true;
    this.onOutput = options.onOutput ?? (() => {});
    this.onSignal = options.onSignal ?? (() => {});
    this.cursor = new CursorTracker(this.cols, this.rows);
    this.index = ptyIno++ - 2_000_000;
  }

  set output(fn: (data: Uint8Array) => void) {
    this.onOutput = fn;
  }

  set signals(fn: (pgid: number, sig: number) => void) {
    this.onSignal = fn;
  }

  get raw(): boolean {
    return !this.termios.icanon;
  }

  get hungup(): boolean {
    return this.hungUp;
  }

  /** Open descriptions of the slave side. */
  get openSlaves(): number {
    return this.slaves;
  }

  /** A new open description of the slave side (read/write). */
  openSlave(): PtySlave {
    return new PtySlave(this);
  }

  /** @internal */
  slaveOpened(): void {
    this.slaves += 1;
  }

  /** @internal */
  slaveClosed(): void {
    this.slaves -= 1;
  }

  // ---------------------------------------------------------------- modes

  /** cfmakeraw (true) or the default cooked settings (false). */
  setRaw(raw: boolean): void {
    if (raw === this.raw) return;
    if (raw) {
      this.termios = { ...RAW };
      // Whatever was being edited becomes readable as is (as Linux does on leaving ICANON).
      if (this.line.length) this.pushReady(Uint8Array.from(this.line));
      this.line = [];
    } else {
      this.termios = { ...COOKED };
    }
    this.lnext = false;
  }

  /** Change individual settings (tcsetattr-like). */
  setTermios(t: Partial<Termios>): void {
    if (t.icanon !== undefined && t.icanon !== this.termios.icanon) {
      if (!t.icanon && this.line.length) {
        this.pushReady(Uint8Array.from(this.line));
        this.line = [];
      }
    }
    this.termios = { ...this.termios, ...t };
  }

  /** Set the window size; SIGWINCH goes to the foreground group when it changes. */
  resize(cols: number, rows: number): void {
    if (!(Number.isInteger(cols) && Number.isInteger(rows) && cols > 0 && rows > 0))
      throw new RangeError(`invalid window size ${cols}x${rows}`);
    const changed = cols !== this.cols || rows !== this.rows;
    this.cols = cols;
    this.rows = rows;
    this.cursor.resize(cols, rows);
    if (changed && this.foregroundPgid > 0) this.onSignal(this.foregroundPgid, SIG.WINCH);
  }

  /**
   * The master hangs up: slave reads see end of file, writes fail with EIO. (The caller sends
   * SIGHUP to the foreground group.)
   */
  hangup(): void {
    if (this.hungUp) return;
    this.hungUp = true;
    this.flushHeld();
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.changed.wake();
  }

  // ---------------------------------------------------------------- master side

  /** What the user types: through the line discipline. */
  write(input: Uint8Array | string): void {
    if (this.hungUp) return;
    const data = typeof input === "string" ? new TextEncoder().encode(input) : input;
    const echo: number[] = [];
    for (const byte of data) this.inputByte(byte, echo);
    if (echo.length) this.emitEcho(echo);
  }

  private inputByte(c: number, echo: number[]): void {
    const t = this.termios;
    if (this.lnext) {
      this.lnext = false;
      this.addChar(c, echo);
      return;
    }
    if (t.isig && (c === CC.INTR || c === CC.QUIT || c === CC.SUSP)) {
      this.flushInput();
      if (t.echo) echo.push(0x5e, c + 0x40); // ^C
      // The echo must reach the master before whatever the signalled programs print next.
      if (echo.length) this.emitEcho(echo.splice(0));
      const sig = c === CC.INTR ? SIG.INT : c === CC.QUIT ? SIG.QUIT : SIG.TSTP;
      if (this.foregroundPgid > 0) this.onSignal(this.foregroundPgid, sig);
      return;
    }
    if (t.icrnl && c === CR) c = NL;
    if (!t.icanon) {
      this.pushReady(Uint8Array.of(c));
      if (t.echo) this.echoChar(c, echo);
      return;
    }
    switch (c) {
      case CC.ERASE:
      case CC.ERASE2:
        this.erase(1, echo);
        return;
      case CC.WERASE: {
        let n = 0;
        let i = this.line.length;
        while (i > 0 && isSpace(this.line[i - 1]!)) {
          i--;
          n++;
        }
        while (i > 0 && !isSpace(this.line[i - 1]!)) {
          i--;
          n++;
        }
        this.erase(n, echo);
        return;
      }
      case CC.KILL:
        this.erase(this.line.length, echo);
        return;
      case CC.LNEXT:
        this.lnext = true;
        return;
      case CC.REPRINT:
        if (t.echo) {
          echo.push(0x5e, 0x52, CR, NL, ...this.line);
        }
        return;
      case CC.EOF:
        // Hand over the line as it is; at the start of a line that is a zero-length read: EOF.
        if (this.line.length === 0) this.pushReady("eof");
        else this.pushReady(Uint8Array.from(this.line));
        this.line = [];
        return;
      case NL:
        this.line.push(NL);
        if (t.echo) this.echoChar(NL, echo);
        this.pushReady(Uint8Array.from(this.line));
        this.line = [];
        return;
      default:
        this.addChar(c, echo);
    }
  }

  private addChar(c: number, echo: number[]): void {
    if (!this.termios.icanon) {
      this.pushReady(Uint8Array.of(c));
      return;
    }
    if (this.line.length >= MAX_CANON - 1) return; // full: dropped, as Linux does (it beeps)
    this.line.push(c);
    if (this.termios.echo) this.echoChar(c, echo);
  }

  /** Remove `n` characters (whole UTF-8 sequences) from the line, echoing `\b \b` per column. */
  private erase(n: number, echo: number[]): void {
    for (let k = 0; k < n && this.line.length; k++) {
      let c = this.line.pop()!;
      // A UTF-8 character is erased whole: drop continuation bytes down to the lead byte.
      while ((c & 0xc0) === 0x80 && this.line.length) c = this.line.pop()!;
      if (!this.termios.echo) continue;
      const width = c < 0x20 || c === 0x7f ? (c === TAB ? 1 : 2) : 1;
      for (let w = 0; w < width; w++) echo.push(0x08, 0x20, 0x08);
    }
  }

  private echoChar(c: number, echo: number[]): void {
    if (c === NL) {
      if (this.termios.onlcr) echo.push(CR);
      echo.push(NL);
    } else if ((c < 0x20 && c !== TAB) || c === 0x7f) {
      echo.push(0x5e, c === 0x7f ? 0x3f : c + 0x40); // ECHOCTL
    } else {
      echo.push(c);
    }
  }

  private flushInput(): void {
    this.line = [];
    this.ready = [];
    this.readyBytes = 0;
  }

  private pushReady(item: InputItem): void {
    if (item !== "eof") {
      if (this.readyBytes + item.length > MAX_INPUT) return;
      this.readyBytes += item.length;
    }
    this.ready.push(item);
    this.changed.wake();
  }

  // ---------------------------------------------------------------- slave side

  /** Bytes a read could return now (0 with `readable` true means end of file). */
  get available(): number {
    const first = this.ready[0];
    if (first === undefined || first === "eof") return 0;
    return this.termios.icanon ? first.length : this.readyBytesUntilEof();
  }

  private readyBytesUntilEof(): number {
    let n = 0;
    for (const item of this.ready) {
      if (item === "eof") break;
      n += item.length;
    }
    return n;
  }

  get readable(): boolean {
    return this.ready.length > 0 || this.hungUp;
  }

  /** Take up to `max` bytes of ready input; null when nothing is ready. */
  private take(max: number): Uint8Array | null {
    const first = this.ready[0];
    if (first === undefined) return this.hungUp ? new Uint8Array(0) : null;
    if (first === "eof") {
      this.ready.shift();
      return new Uint8Array(0);
    }
    const parts: Uint8Array[] = [];
    let n = 0;
    while (n < max && this.ready.length) {
      const item = this.ready[0]!;
      if (item === "eof") break;
      const want = max - n;
      if (item.length <= want) {
        parts.push(item);
        n += item.length;
        this.ready.shift();
      } else {
        parts.push(item.subarray(0, want));
        this.ready[0] = item.subarray(want);
        n += want;
      }
      // Canonical reads stop at the end of a line.
      if (this.termios.icanon) break;
    }
    this.readyBytes -= n;
    if (parts.length === 1) return parts[0]!.slice();
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** read(2) on the slave: blocks until input (or EOF) unless `nonblock`. */
  async read(max: number, nonblock: boolean, signal: AbortSignal): Promise<Uint8Array> {
    if (max <= 0) return new Uint8Array(0);
    for (;;) {
      const got = this.take(max);
      if (got) return got;
      if (nonblock) throw kerr(Errno.AGAIN);
      await waitOrAbort(this.changed, signal);
    }
  }

  /** A read with a deadline (`timeoutMs` < 0: none). Empty on timeout, as on end of file. */
  async readTimeout(max: number, timeoutMs: number, signal: AbortSignal): Promise<Uint8Array> {
    if (timeoutMs < 0) return this.read(max, false, signal);
    const got = this.take(max);
    if (got) return got;
    if (timeoutMs === 0) return new Uint8Array(0);
    const deadline = Date.now() + timeoutMs;
    const timer = new AbortController();
    const t = setTimeout(() => timer.abort(), timeoutMs);
    const both = AbortSignal.any([signal, timer.signal]);
    try {
      for (;;) {
        const got2 = this.take(max);
        if (got2) return got2;
        if (Date.now() >= deadline) return new Uint8Array(0);
        try {
          await waitOrAbort(this.changed, both);
        } catch (err) {
          if (signal.aborted) throw err;
          return new Uint8Array(0); // the deadline passed
        }
      }
    } finally {
      clearTimeout(t);
    }
  }

  /** write(2) on the slave: output processing, cursor tracking, then to the master. */
  slaveWrite(data: Uint8Array): number {
    if (this.hungUp) throw kerr(Errno.IO);
    const out: number[] = [];
    const onlcr = this.termios.onlcr;
    if (this.heldTimer) {
      clearTimeout(this.heldTimer);
      this.heldTimer = undefined;
    }
    for (const c of data) {
      if (this.cursorReports && (this.held.length > 0 || c === ESC)) {
        this.held.push(c);
        if (matchesDsrPrefix(this.held)) {
          if (this.held.length === DSR.length) {
            this.held = [];
            this.answerCursorQuery(out);
          }
          continue;
        }
        // Not the query after all: release what was held (the last byte may start a new one).
        const last = this.held.pop()!;
        for (const h of this.held) this.outputByte(h, out, false);
        this.held = [];
        if (last === ESC) {
          this.held.push(last);
          continue;
        }
        this.outputByte(last, out, onlcr);
        continue;
      }
      this.outputByte(c, out, onlcr);
    }
    if (out.length) this.emit(Uint8Array.from(out));
    // A lone ESC at the end of a write is released soon if nothing follows.
    if (this.held.length) this.heldTimer = setTimeout(() => this.flushHeld(), 10);
    return data.length;
  }

  private outputByte(c: number, out: number[], onlcr: boolean): void {
    if (c === NL && onlcr) {
      out.push(CR);
      this.cursor.feed(CR);
    }
    out.push(c);
    this.cursor.feed(c);
  }

  private answerCursorQuery(out: number[]): void {
    // What was printed before the query reaches the master first, as a terminal would see it.
    if (out.length) this.emit(Uint8Array.from(out.splice(0)));
    const report = `\x1b[${this.cursor.row + 1};${this.cursor.col + 1}R`;
    this.pushReady(new TextEncoder().encode(report));
  }

  private flushHeld(): void {
    this.heldTimer = undefined;
    if (!this.held.length) return;
    const out: number[] = [];
    for (const h of this.held) this.outputByte(h, out, false);
    this.held = [];
    this.emit(Uint8Array.from(out));
  }

  /** Echo moves the cursor of the terminal too. */
  private emitEcho(echo: number[]): void {
    for (const c of echo) this.cursor.feed(c);
    this.emit(Uint8Array.from(echo));
  }

  private emit(data: Uint8Array): void {
    this.onOutput(data);
  }
}

const DSR = [ESC, 0x5b, 0x36, 0x6e]; // ESC [ 6 n

function matchesDsrPrefix(held: number[]): boolean {
  if (held.length > DSR.length) return false;
  for (let i = 0; i < held.length; i++) if (held[i] !== DSR[i]) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === TAB;
}

/**
 * Where the cursor of a terminal showing this output would be — good enough to answer `ESC[6n`,
 * not an emulator: printable characters advance one column (UTF-8 continuation bytes none; wide
 * characters are counted as one), with a pending wrap at the last column as xterm does; CR, LF,
 * BS and TAB move as usual; CSI sequences A B C D (relative), G (column), H/f (absolute) and d
 * (row) move the cursor; other escape sequences are skipped. The screen scrolls at the last row.
 */
export class CursorTracker {
  row = 0;
  col = 0;
  private cols: number;
  private rows: number;
  private wrapPending = false;
  private state: "text" | "esc" | "csi" | "osc" | "oscEsc" = "text";
  private params = "";

  constructor(cols: number, rows: number) {
    this.cols = cols;
    this.rows = rows;
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.row = Math.min(this.row, rows - 1);
    this.col = Math.min(this.col, cols - 1);
  }

  feed(c: number): void {
    switch (this.state) {
      case "esc":
        if (c === 0x5b) {
          this.state = "csi";
          this.params = "";
        } else if (c === 0x5d) this.state = "osc";
        else this.state = "text";
        return;
      case "csi":
        if (c >= 0x40 && c <= 0x7e) {
          this.state = "text";
          this.csi(c);
        } else this.params += String.fromCharCode(c);
        return;
      case "osc":
        if (c === 0x07) this.state = "text";
        else if (c === ESC) this.state = "oscEsc";
        return;
      case "oscEsc":
        this.state = c === 0x5c ? "text" : "osc";
        return;
    }
    if (c === ESC) {
      this.state = "esc";
      return;
    }
    if (c === CR) {
      this.col = 0;
      this.wrapPending = false;
    } else if (c === NL || c === 0x0b || c === 0x0c) {
      this.lineFeed();
    } else if (c === 0x08) {
      if (this.wrapPending) this.wrapPending = false;
      else if (this.col > 0) this.col--;
    } else if (c === TAB) {
      this.col = Math.min(this.cols - 1, (Math.floor(this.col / 8) + 1) * 8);
    } else if (c >= 0x20 && c !== 0x7f && (c & 0xc0) !== 0x80) {
      if (this.wrapPending) {
        this.col = 0;
        this.lineFeed();
        this.wrapPending = false;
      }
      if (this.col >= this.cols - 1) this.wrapPending = true;
      else this.col++;
    }
  }

  private lineFeed(): void {
    this.wrapPending = false;
    if (this.row < this.rows - 1) this.row++;
  }

  private csi(final: number): void {
    const nums = this.params
      .replace(/^[?>=]/, "")
      .split(";")
      .map((s) => (s === "" ? 0 : Number.parseInt(s, 10) || 0));
    const n = Math.max(1, nums[0] ?? 0);
    this.wrapPending = false;
    switch (String.fromCharCode(final)) {
      case "A":
        this.row = Math.max(0, this.row - n);
        break;
      case "B":
        this.row = Math.min(this.rows - 1, this.row + n);
        break;
      case "C":
        this.col = Math.min(this.cols - 1, this.col + n);
        break;
      case "D":
        this.col = Math.max(0, this.col - n);
        break;
      case "G":
        this.col = Math.min(this.cols - 1, n - 1);
        break;
      case "d":
        this.row = Math.min(this.rows - 1, n - 1);
        break;
      case "H":
      case "f":
        this.row = Math.min(this.rows - 1, Math.max(1, nums[0] ?? 1) - 1);
        this.col = Math.min(this.cols - 1, Math.max(1, nums[1] ?? 1) - 1);
        break;
    }
  }
}

/** The slave side of a pty as an open file description: fds 0–2 of a terminal session. */
export class PtySlave extends Description {
  readonly pty: Pty;
  readonly filetype = FileTypeCode.CHARACTER_DEVICE;
  private released = false;

  constructor(pty: Pty) {
    super(O.READ | O.WRITE, 0);
    this.pty = pty;
    pty.slaveOpened();
  }

  override get isTty(): boolean {
    return true;
  }

  override get path(): string {
    return `/dev/pts/${this.pty.index}`;
  }

  protected destroy(): void {
    if (this.released) return;
    this.released = true;
    this.pty.slaveClosed();
  }

  read(max: number, ctx: IoContext): Promise<Uint8Array> {
    return this.pty.read(max, this.nonblock, ctx.signal);
  }

  async write(data: Uint8Array): Promise<number> {
    return this.pty.slaveWrite(data);
  }

  async stat(): Promise<VfsStat> {
    const t = Date.now();
    return {
      type: "chardev",
      dev: 0,
      ino: 2_000_000 + this.pty.index,
      mode: 0o020620,
      nlink: 1,
      uid: 1000,
      gid: 5,
      rdev: (136 << 8) | this.pty.index,
      size: 0,
      blksize: 1024,
      blocks: 0,
      atimeMs: t,
      mtimeMs: t,
      ctimeMs: t,
      birthtimeMs: t,
    };
  }

  readable(): boolean {
    return this.pty.readable;
  }

  writable(): boolean {
    return true;
  }

  override get readiness(): WaitQueue {
    return this.pty.changed;
  }

  override available(): number {
    return this.pty.available;
  }
}
