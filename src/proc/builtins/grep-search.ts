/**
 * grep's scanner: reads one input in chunks, runs one regex over each buffer of whole records
 * (the patterns cannot match across a record separator, see grep-regex.ts) and prints selected
 * lines, context, counts or names as GNU grep does. Only lines near matches are ever looked at
 * individually, so the cost for non-matching text is the regex engine's scan.
 */
import type { Compiled } from "./grep-regex.ts";
import { type Runtime, SysError } from "./runtime.ts";

export interface SearchOptions {
  invert: boolean;
  count: boolean;
  /** -l / -L */
  list: "matching" | "nonmatching" | null;
  quiet: boolean;
  onlyMatching: boolean;
  lineNumber: boolean;
  byteOffset: boolean;
  /** -Z: a NUL after file names instead of ":" / "-" / newline. */
  nullAfterName: boolean;
  maxCount: number;
  after: number;
  before: number;
  /** -A/-B/-C given (even as 0): group separators are printed. */
  context: boolean;
  /** Record separator: "\n", or "\0" with -z. */
  sep: string;
  binaryFiles: "binary" | "text" | "without-match";
  /** Printed between context groups (null: --no-group-separator). */
  groupSeparator: string | null;
  initialTab: boolean;
}

export interface SearchResult {
  selected: number;
  /** A binary file had a selected line (its output was suppressed). */
  binaryMatched: boolean;
}

/** Thrown when -q finds its first match: grep exits 0 at once. */
export class QuietMatch {}

const CHUNK = 512 * 1024;
const COLON = 0x3a;
const DASH = 0x2d;

interface Pending {
  bytes: Buffer;
  off: number;
  no: number;
}

export class Searcher {
  private readonly rt: Runtime;
  private readonly o: SearchOptions;
  private readonly re: RegExp;
  private readonly alternatives: RegExp[] | null;
  private readonly sepCode: number;
  /** Something was printed (for "--" between groups, also across files). */
  private used = false;

  // per input
  private name = "";
  private withName = false;
  private selected = 0;
  private stopped = false;
  private binary = false;
  private binaryMatched = false;
  private afterLeft = 0;
  private queue: Pending[] = [];
  /** Global byte offset just past the last line printed in this input, or -1. */
  private lastOut = -1;
  // per buffer
  private buf: Buffer = Buffer.alloc(0);
  private s = "";
  private base = 0;
  /** Line-number bookkeeping: the line starting at `cursor` (index in `s`) is number `cursorNo`. */
  private cursor = 0;
  private cursorNo = 1;

  constructor(rt: Runtime, options: SearchOptions, compiled: Compiled) {
    this.rt = rt;
    this.o = options;
    this.re = compiled.regex;
    this.alternatives = compiled.alternatives;
    this.sepCode = options.sep.charCodeAt(0);
  }

  /** Search the open `fd`, reporting it as `name`. Read errors are thrown as SysError. */
  search(fd: number, name: string, withName: boolean): SearchResult {
    const o = this.o;
    this.name = name;
    this.withName = withName;
    this.selected = 0;
    this.stopped = o.maxCount <= 0;
    this.binary = false;
    this.binaryMatched = false;
    this.afterLeft = 0;
    this.queue = [];
    this.lastOut = -1;
    let base = 0;
    let lineNo = 1;
    // Bytes after the last separator seen, kept as parts so a huge line is copied once, not per chunk.
    let carry: Buffer[] = [];
    while (!this.stopped || this.afterLeft > 0) {
      const data = this.rt.read(fd, CHUNK);
      if (data.byteLength === 0) break;
      const last = data.lastIndexOf(this.sepCode);
      if (last < 0) {
        carry.push(data);
        continue;
      }
      const buf = carry.length === 0 ? data : Buffer.concat([...carry, data]);
      const end = buf.byteLength - data.byteLength + last + 1;
      carry = end < buf.byteLength ? [buf.subarray(end)] : [];
      lineNo = this.buffer(buf.subarray(0, end), base, lineNo);
      base += end;
    }
    if (carry.length > 0 && (!this.stopped || this.afterLeft > 0)) {
      // A last line without a terminator is searched (and printed) as if it had one.
      const buf = Buffer.concat([...carry, Buffer.of(this.sepCode)]);
      this.buffer(buf, base, lineNo);
    }
    if (o.list === "nonmatching" && this.selected === 0) this.printName();
    else if (o.count && o.list === null) {
      if (this.withName) this.nameSep(COLON);
      this.rt.write(1, `${this.selected}`);
      this.rt.writeByte(0x0a);
      this.rt.endRecord();
    }
    return { selected: this.selected, binaryMatched: this.binaryMatched };
  }

  private printName(): void {
    this.rt.write(1, this.name);
    this.rt.writeByte(this.o.nullAfterName ? 0 : 0x0a);
    this.rt.endRecord();
  }

  /** Process one buffer of whole records; returns the line number after it. */
  private buffer(buf: Buffer, base: number, lineNo: number): number {
    const o = this.o;
    let s = buf.toString("latin1");
    if (!this.binary && o.binaryFiles !== "text" && o.sep === "\n" && buf.indexOf(0) >= 0) {
      this.binary = true;
      if (o.binaryFiles === "without-match") {
        this.selected = 0;
        this.stopped = true;
        this.afterLeft = 0;
        return lineNo;
      }
      // As GNU: NULs end lines for matching purposes; output is suppressed from here on.
      s = s.replaceAll("\0", "\n");
      this.afterLeft = 0;
      this.queue = [];
    } else if (this.binary) s = s.replaceAll("\0", "\n");
    this.buf = buf;
    this.s = s;
    this.base = base;
    this.cursor = 0;
    this.cursorNo = lineNo;
    const n = s.length;
    const sep = o.sep;
    const re = this.re;
    let pos = 0;
    while (pos < n) {
      if (this.stopped) {
        if (this.afterLeft > 0) this.gap(pos, n);
        break;
      }
      re.lastIndex = pos;
      const m = re.exec(s);
      let ls = n;
      let le = n;
      if (m !== null) {
        const p = m.index;
        ls = p === 0 ? 0 : s.lastIndexOf(sep, p - 1) + 1;
        le = s.indexOf(sep, p);
      }
      if (!o.invert) {
        this.gap(pos, ls);
        if (ls === n) break;
        this.select(ls, le);
      } else {
        let at = pos;
        while (at < ls && !this.stopped) {
          const e = s.indexOf(sep, at);
          this.select(at, e);
          at = e + 1;
        }
        if (this.stopped) {
          if (this.afterLeft > 0) this.gap(at, n);
          break;
        }
        if (ls === n) break;
        this.gap(ls, le + 1);
      }
      pos = le + 1;
    }
    if (o.lineNumber) return this.lineAt(n);
    return lineNo;
  }

  /** The number of the line starting at `at` (counting forward from the last position asked). */
  private lineAt(at: number): number {
    const { s } = this;
    const sep = this.o.sep;
    let i = this.cursor;
    let no = this.cursorNo;
    for (;;) {
      const e = s.indexOf(sep, i);
      if (e < 0 || e >= at) break;
      no++;
      i = e + 1;
    }
    this.cursor = at;
    this.cursorNo = no;
    return no;
  }

  /** Non-selected lines [from, to): trailing context, then kept as possible leading context. */
  private gap(from: number, to: number): void {
    if (from >= to) return;
    const { s } = this;
    const sep = this.o.sep;
    while (this.afterLeft > 0 && from < to) {
      const e = s.indexOf(sep, from);
      this.emit(from, e, false);
      this.afterLeft--;
      from = e + 1;
    }
    const want = this.o.before;
    if (want <= 0 || from >= to || this.binary) return;
    const starts: number[] = [];
    let e = to - 1;
    while (starts.length < want && e >= from) {
      const st = e === 0 ? 0 : s.lastIndexOf(sep, e - 1) + 1;
      starts.push(st);
      e = st - 1;
    }
    const got: Pending[] = [];
    for (let k = starts.length - 1; k >= 0; k--) {
      const st = starts[k]!;
      const end = s.indexOf(sep, st);
      got.push({
        bytes: Buffer.from(this.buf.subarray(st, end)),
        off: this.base + st,
        no: this.o.lineNumber ? this.lineAt(st) : 0,
      });
    }
    this.queue = got.length >= want ? got : [...this.queue, ...got].slice(-want);
  }

  /** A selected line [ls, le) (le: its separator). */
  private select(ls: number, le: number): void {
    const o = this.o;
    this.selected++;
    if (o.quiet) throw new QuietMatch();
    if (o.list !== null) {
      this.stopped = true;
      if (o.list === "matching") this.printName();
      return;
    }
    if (this.selected >= o.maxCount) this.stopped = true;
    if (o.count) return;
    if (this.binary) {
      this.binaryMatched = true;
      this.stopped = true;
      this.afterLeft = 0;
      return;
    }
    for (const q of this.queue) this.emitLine(q.bytes, q.off, q.no, false, -1);
    this.queue = [];
    this.emit(ls, le, true);
    this.afterLeft = o.after;
  }

  private emit(st: number, e: number, selected: boolean): void {
    const no = this.o.lineNumber ? this.lineAt(st) : 0;
    this.emitLine(this.buf.subarray(st, e), this.base + st, no, selected, st);
  }

  /** Print one line (or, with -o, its matches). `at`: its index in the current buffer (-1: queued). */
  private emitLine(bytes: Buffer, off: number, no: number, selected: boolean, at: number): void {
    const o = this.o;
    const rt = this.rt;
    if (o.context && o.groupSeparator !== null && this.used && this.lastOut !== off) {
      rt.write(1, o.groupSeparator);
      rt.writeByte(0x0a);
    }
    this.used = true;
    this.lastOut = off + bytes.byteLength + 1;
    if (!o.onlyMatching) {
      this.prefix(selected ? COLON : DASH, no, off, bytes.byteLength);
      rt.write(1, bytes);
      rt.writeByte(this.sepCode);
      rt.endRecord();
      return;
    }
    if (!selected || o.invert || at < 0) return;
    const { s, re } = this;
    const end = at + bytes.byteLength;
    let i = at;
    while (i <= end) {
      re.lastIndex = i;
      const m = re.exec(s);
      if (m === null || m.index > end) break;
      const start = m.index;
      let len = m[0].length;
      if (this.alternatives !== null) {
        for (const alt of this.alternatives) {
          alt.lastIndex = start;
          const a = alt.exec(s);
          if (a !== null && a[0].length > len) len = a[0].length;
        }
      }
      if (len === 0) {
        i = start + 1;
        continue;
      }
      this.prefix(COLON, no, this.base + start, len);
      rt.write(1, this.buf.subarray(start, start + len));
      rt.writeByte(this.sepCode);
      rt.endRecord();
      i = start + len;
    }
  }

  private nameSep(sepChar: number): void {
    this.rt.write(1, this.name);
    this.rt.writeByte(this.o.nullAfterName ? 0 : sepChar);
  }

  /** `len`: the length of what follows (GNU 3.8's -T pads numbers and adds a tab only before non-empty text). */
  private prefix(sepChar: number, no: number, off: number, len: number): void {
    const o = this.o;
    const rt = this.rt;
    const tab = o.initialTab && len > 0;
    if (this.withName) this.nameSep(sepChar);
    if (o.lineNumber) {
      rt.write(1, tab ? ` ${no}` : `${no}`);
      rt.writeByte(sepChar);
    }
    if (o.byteOffset) {
      rt.write(1, tab ? ` ${off}` : `${off}`);
      rt.writeByte(sepChar);
    }
    if (tab && (this.withName || o.lineNumber || o.byteOffset)) rt.writeByte(0x09);
  }
}

export { SysError };
