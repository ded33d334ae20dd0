/**
 * POSIX basic/extended regular expressions (with the GNU extensions grep documents) translated to
 * JavaScript RegExp source, for searching a whole buffer of records at once.
 *
 * Byte semantics (the C locale): the text is decoded as latin1, one char per byte, and patterns
 * are turned into the same representation (their UTF-8 bytes, one char each). So every byte
 * survives and offsets are byte offsets; `.` and bracket expressions match one byte; `[[:alpha:]]`
 * and friends are ASCII classes; -i folds ASCII letters (JavaScript's non-Unicode case folding also
 * pairs latin1 letters 0xC0–0xDE with 0xE0–0xFE, bytes that in UTF-8 text are lead bytes and never
 * case variants of each other, so in practice this only widens matches of invalid UTF-8).
 *
 * No match may span a record separator (`sep`, "\n" or "\0" with -z): `.`, negated classes, `\W`,
 * `\S` exclude it and `^`/`$` become lookarounds on it. That lets the searcher run one regex over
 * a buffer of many lines and attribute each match to the line that contains it.
 */

export class PatternError extends Error {}

export type Syntax = "basic" | "extended" | "fixed" | "perl";

const CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\v\\f\\r",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
};

const RE_DUP_MAX = 32767;

function hex(code: number): string {
  return `\\x${code.toString(16).padStart(2, "0")}`;
}

/** A char as a JS regex literal (outside or inside a class). */
export function lit(ch: string): string {
  const c = ch.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return ch;
  if (c >= 0x20 && c < 0x7f && !"\\^$.|?*+()[]{}/-".includes(ch)) return ch;
  return c <= 0xff ? hex(c) : `\\u${c.toString(16).padStart(4, "0")}`;
}

/** A pattern from argv (UTF-16) as its UTF-8 bytes, one latin1 char each. */
export function toBytes(pattern: string): string {
  return Buffer.from(pattern, "utf8").toString("latin1");
}

interface Translated {
  source: string;
  groups: number;
}

export interface TranslateOptions {
  syntax: Syntax;
  /** Record separator: "\n" (lines) or "\0" (-z). */
  sep: string;
  /** Capture groups of the patterns before this one (back-references are renumbered). */
  groupOffset: number;
  /** Called with GNU's warnings ("* at start of expression"). */
  warn?: (message: string) => void;
}

/** One pattern (no newline in it) → JS regex source. Throws PatternError with GNU's messages. */
export function translate(pattern: string, options: TranslateOptions): Translated {
  if (options.syntax === "fixed") {
    let source = "";
    for (const ch of pattern) source += lit(ch);
    return { source, groups: 0 };
  }
  if (options.syntax === "perl") return translatePerl(pattern, options);
  return new Translator(pattern, options).run();
}

class Translator {
  private readonly p: string;
  private readonly ere: boolean;
  private readonly sep: string;
  private readonly offset: number;
  private readonly warn: (m: string) => void;
  private readonly out: string[] = [];
  private i = 0;
  private groups = 0;
  private readonly open: number[] = [];
  /** Index in `out` where the last atom starts, or -1 when there is none to repeat. */
  private atom = -1;
  /** The last token was a repetition (a new one must wrap it). */
  private repeated = false;
  /** At the start of a (sub)expression: BRE `*` is literal there, `^` is an anchor. */
  private atStart = true;

  constructor(pattern: string, options: TranslateOptions) {
    this.p = pattern;
    this.ere = options.syntax === "extended";
    this.sep = options.sep;
    this.offset = options.groupOffset;
    this.warn = options.warn ?? (() => {});
  }

  run(): Translated {
    const { p, ere } = this;
    while (this.i < p.length) {
      const ch = p[this.i++]!;
      if (ch === "\\") {
        if (this.i >= p.length) throw new PatternError("Trailing backslash");
        this.escape(p[this.i++]!);
      } else if (ch === "[") {
        this.emitAtom(this.bracket());
      } else if (ch === ".") {
        this.emitAtom(`[^${lit(this.sep)}]`);
      } else if (ch === "*") {
        if (this.atStart) {
          if (ere) this.warn("* at start of expression");
          else this.emitAtom("\\*");
        } else this.repeat("*");
      } else if (ere && (ch === "+" || ch === "?")) {
        if (this.atStart) this.warn(`${ch} at start of expression`);
        else this.repeat(ch);
      } else if (ere && ch === "{" && this.intervalAhead()) {
        if (this.atStart) {
          this.warn("{...} at start of expression");
          this.interval(false);
        } else this.repeat(this.interval(false));
      } else if (ere && ch === "(") {
        this.openGroup();
      } else if (ere && ch === ")" && this.open.length > 0) {
        this.closeGroup();
      } else if (ere && ch === "|") {
        this.alternate();
      } else if (ch === "^" && (ere || this.atStart)) {
        this.anchor(`(?<![^${lit(this.sep)}])`);
      } else if (ch === "$" && (ere || this.atEnd())) {
        this.anchor(`(?![^${lit(this.sep)}])`);
      } else {
        this.emitAtom(lit(ch));
      }
    }
    if (this.open.length > 0) throw new PatternError("Unmatched ( or \\(");
    return { source: this.out.join(""), groups: this.groups };
  }

  /** BRE `$` is an anchor only at the end of the pattern or of a group/alternative. */
  private atEnd(): boolean {
    const rest = this.p.slice(this.i);
    return rest === "" || rest.startsWith("\\)") || rest.startsWith("\\|");
  }

  private escape(ch: string): void {
    const { ere } = this;
    if (!ere && ch === "(") {
      this.openGroup();
      return;
    }
    if (!ere && ch === ")") {
      if (this.open.length === 0) throw new PatternError("Unmatched ) or \\)");
      this.closeGroup();
      return;
    }
    if (!ere && ch === "|") {
      this.alternate();
      return;
    }
    if (!ere && ch === "{") {
      if (this.atStart) {
        this.emitAtom("\\{");
        return;
      }
      this.repeat(this.interval(true));
      return;
    }
    if (!ere && (ch === "+" || ch === "?")) {
      if (this.atStart) {
        this.emitAtom(lit(ch));
        return;
      }
      this.repeat(ch);
      return;
    }
    if (ch >= "1" && ch <= "9") {
      const n = ch.charCodeAt(0) - 48;
      if (n > this.groups) throw new PatternError("Invalid back reference");
      this.emitAtom(`(?:\\${n + this.offset})`);
      return;
    }
    const s = this.sep === "\n" ? "\\n" : "\\x00";
    switch (ch) {
      case "<":
        this.anchor("\\b(?=\\w)");
        return;
      case ">":
        this.anchor("\\b(?<=\\w)");
        return;
      case "b":
        this.anchor("\\b");
        return;
      case "B":
        this.anchor("\\B");
        return;
      case "`":
        this.anchor(`(?<![^${s}])`);
        return;
      case "'":
        this.anchor(`(?![^${s}])`);
        return;
      case "w":
        this.emitAtom("\\w");
        return;
      case "W":
        this.emitAtom(`[^\\w${s}]`);
        return;
      case "s":
        this.emitAtom(this.sep === "\n" ? "[ \\t\\v\\f\\r]" : "[ \\t\\n\\v\\f\\r]");
        return;
      case "S":
        this.emitAtom(`[^ \\t\\n\\v\\f\\r${s}]`);
        return;
      default:
        this.emitAtom(lit(ch));
        return;
    }
  }

  private emitAtom(source: string): void {
    this.atom = this.out.length;
    this.out.push(source);
    this.repeated = false;
    this.atStart = false;
  }

  private anchor(source: string): void {
    this.out.push(source);
    this.atom = -1;
    this.repeated = false;
    // `^*` in a BRE: the star is still literal after a leading anchor.
    if (!source.startsWith("(?<!")) this.atStart = false;
  }

  private repeat(quantifier: string): void {
    if (this.atom < 0) {
      // After an anchor: GNU repeats the empty string. JS rejects `^*`, so drop it.
      return;
    }
    if (this.repeated) {
      this.out.splice(this.atom, 0, "(?:");
      this.out.push(")");
    }
    this.out.push(quantifier);
    this.repeated = true;
  }

  private openGroup(): void {
    this.open.push(this.out.length);
    this.out.push("(");
    this.groups++;
    this.atom = -1;
    this.repeated = false;
    this.atStart = true;
  }

  private closeGroup(): void {
    const start = this.open.pop()!;
    this.out.push(")");
    this.atom = start;
    this.repeated = false;
    this.atStart = false;
  }

  private alternate(): void {
    this.out.push("|");
    this.atom = -1;
    this.repeated = false;
    this.atStart = true;
  }

  /** ERE: does a valid `{m}`, `{m,}`, `{,n}` or `{m,n}` start here? (Otherwise `{` is literal.) */
  private intervalAhead(): boolean {
    return /^(\d+(,\d*)?|,\d+)\}/.test(this.p.slice(this.i));
  }

  /** Parses an interval after `{` (BRE: `\{`), returns the JS quantifier. */
  private interval(bre: boolean): string {
    const close = bre ? "\\}" : "}";
    const end = this.p.indexOf(close, this.i);
    if (end < 0) throw new PatternError(bre ? "Unmatched \\{" : "Unmatched {");
    const body = this.p.slice(this.i, end);
    const m = /^(\d*)(,(\d*))?$/.exec(body);
    if (!m || (m[1] === "" && m[2] === undefined)) throw new PatternError("Invalid content of \\{\\}");
    this.i = end + close.length;
    const min = m[1] === "" ? 0 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
    if (max < min) throw new PatternError("Invalid content of \\{\\}");
    if (min > RE_DUP_MAX || (max !== Infinity && max > RE_DUP_MAX)) {
      throw new PatternError("Regular expression too big");
    }
    return max === Infinity ? `{${min},}` : max === min ? `{${min}}` : `{${min},${max}}`;
  }

  /** A bracket expression after `[`; returns a JS class. */
  private bracket(): string {
    const { p } = this;
    const unmatched = () => new PatternError("Unmatched [, [^, [:, [., or [=");
    let negate = false;
    if (p[this.i] === "^") {
      negate = true;
      this.i++;
    }
    let items = "";
    let first = true;
    for (;;) {
      if (this.i >= p.length) throw unmatched();
      let ch = p[this.i++]!;
      if (ch === "]" && !first) break;
      first = false;
      let lo: number;
      if (ch === "[" && (p[this.i] === ":" || p[this.i] === "=" || p[this.i] === ".")) {
        const kind = p[this.i]!;
        const end = p.indexOf(`${kind}]`, this.i + 1);
        if (end < 0) throw unmatched();
        const name = p.slice(this.i + 1, end);
        this.i = end + 2;
        if (kind === ":") {
          const cls = CLASSES[name];
          if (cls === undefined) throw new PatternError("Invalid character class name");
          items += cls;
          continue;
        }
        if (name.length !== 1) throw new PatternError("Invalid collation character");
        ch = name;
      }
      lo = ch.charCodeAt(0);
      if (p[this.i] === "-" && this.i + 1 < p.length && p[this.i + 1] !== "]") {
        this.i++;
        let hiCh = p[this.i++]!;
        if (hiCh === "[" && p[this.i] === ".") {
          const end = p.indexOf(".]", this.i + 1);
          if (end < 0) throw unmatched();
          hiCh = p.slice(this.i + 1, end);
          this.i = end + 2;
          if (hiCh.length !== 1) throw new PatternError("Invalid collation character");
        }
        const hi = hiCh.charCodeAt(0);
        if (hi < lo) throw new PatternError("Invalid range end");
        items += `${lit(String.fromCharCode(lo))}-${lit(hiCh)}`;
        continue;
      }
      items += lit(ch);
    }
    if (negate) return `[^${items}${lit(this.sep)}]`;
    if (this.sep === "\n") items = items.replaceAll("\\n", "");
    return items === "" ? "[^\\s\\S]" : `[${items}]`;
  }
}

/**
 * -P: the pattern is JavaScript regex syntax (close to PCRE for what agents write: \d, \w, \s,
 * lookarounds, non-greedy quantifiers, (?:…)). Rewritten only so that no match crosses a record
 * separator: `^`/`$` become lookarounds, `.` and negated classes exclude it, `\s` means ASCII
 * whitespace. A leading `(?i)` turns on case folding (handled by the caller via `icase`).
 */
function translatePerl(pattern: string, options: TranslateOptions): Translated {
  const s = options.sep === "\n" ? "\\n" : "\\x00";
  let out = "";
  let inClass = false;
  let groups = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      i++;
      if (next === "s") out += inClass ? " \\t\\v\\f\\r" : "[ \\t\\v\\f\\r]";
      else if (next === "S") out += inClass ? "\\S" : `[^ \\t\\n\\v\\f\\r${s}]`;
      else if (next === "W" && !inClass) out += `[^\\w${s}]`;
      else if (next === "D" && !inClass) out += `[^\\d${s}]`;
      else if (next === "h") out += inClass ? " \\t" : "[ \\t]";
      else if (next === "A") out += "(?<![\\s\\S])";
      else if (next === "Z" || next === "z") out += "(?![\\s\\S])";
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      if (pattern[i + 1] === "^") {
        out += `[^${s}`;
        i++;
      } else out += "[";
      if (pattern[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (ch === "(" && pattern[i + 1] !== "?") groups++;
    if (ch === "(" && pattern.startsWith("(?<", i) && !/^\(\?<[=!]/.test(pattern.slice(i))) groups++;
    if (ch === "^") out += `(?<![^${s}])`;
    else if (ch === "$") out += `(?![^${s}])`;
    else if (ch === ".") out += `[^${s}]`;
    else out += ch;
  }
  if (options.groupOffset > 0) {
    out = out.replace(/\\([1-9])/g, (_m, d: string) => `\\${Number(d) + options.groupOffset}`);
  }
  return { source: out, groups };
}

export interface CompileOptions {
  syntax: Syntax;
  icase: boolean;
  word: boolean;
  line: boolean;
  sep: string;
  warn?: (message: string) => void;
}

export interface Compiled {
  /** All patterns as one global regex (`lastIndex`-driven search over a buffer). */
  regex: RegExp;
  /**
   * Sticky regexes of the top-level alternatives (each pattern, and for BRE/ERE each top-level
   * `|` branch), for POSIX leftmost-longest -o output; null when there is only one.
   */
  alternatives: RegExp[] | null;
  /** No pattern at all (-f /dev/null): nothing matches. */
  empty: boolean;
}

const WORD_BEFORE = "(?<![0-9A-Za-z_])";
const WORD_AFTER = "(?![0-9A-Za-z_])";

export function compile(patterns: readonly string[], options: CompileOptions): Compiled {
  const sepLit = lit(options.sep);
  const sources: string[] = [];
  let groups = 0;
  let icase = options.icase;
  for (const raw of patterns) {
    let pattern = toBytes(raw);
    if (options.syntax === "perl" && pattern.startsWith("(?i)")) {
      icase = true;
      pattern = pattern.slice(4);
    }
    const t = translate(pattern, {
      syntax: options.syntax,
      sep: options.sep,
      groupOffset: groups,
      warn: options.warn,
    });
    groups += t.groups;
    sources.push(t.source);
  }
  const wrap = (body: string) =>
    options.line
      ? `(?<![^${sepLit}])(?:${body})(?![^${sepLit}])`
      : options.word
        ? `${WORD_BEFORE}(?:${body})${WORD_AFTER}`
        : body;
  const flags = icase ? "gi" : "g";
  let regex: RegExp;
  try {
    regex = new RegExp(
      sources.length === 0 ? "[^\\s\\S]" : wrap(sources.map((s) => `(?:${s})`).join("|")),
      flags,
    );
  } catch (error) {
    throw new PatternError(
      error instanceof Error ? error.message.replace(/^Invalid regular expression: /, "") : String(error),
    );
  }
  let alternatives: RegExp[] | null = null;
  // Back-references are numbered across all patterns: with groups, no splitting.
  const branches = groups === 0 ? sources.flatMap(splitTopLevel) : [];
  if (branches.length > 1) {
    alternatives = branches.map((b) => new RegExp(wrap(b), icase ? "yi" : "y"));
  }
  return { regex, alternatives, empty: sources.length === 0 };
}

/** Top-level `|` branches of a translated source (only used when there are no groups). */
function splitTopLevel(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
    } else if (ch === "[") inClass = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "|" && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}
