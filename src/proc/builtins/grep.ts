/**
 * `grep`, `egrep`, `fgrep` as a builtin program: GNU grep 3.x's command line and output for what
 * coding agents use (see docs/commands.md). Matching is byte-based, as GNU grep under LC_ALL=C
 * (see grep-regex.ts); the scanner is grep-search.ts. Runs inside a pool worker.
 */
import { compile, PatternError, type Syntax } from "./grep-regex.ts";
import { QuietMatch, Searcher, type SearchOptions } from "./grep-search.ts";
import { FileTypeCode, O, type Runtime, SysError } from "./runtime.ts";

type ArgKind = "none" | "required" | "optional";

/** Long options → [argument kind, the short option or key they stand for]. */
const LONG: Record<string, [ArgKind, string]> = {
  "after-context": ["required", "A"],
  "basic-regexp": ["none", "G"],
  "before-context": ["required", "B"],
  "binary-files": ["required", "binary-files"],
  "byte-offset": ["none", "b"],
  binary: ["none", "U"],
  color: ["optional", "color"],
  colour: ["optional", "color"],
  context: ["required", "C"],
  count: ["none", "c"],
  "dereference-recursive": ["none", "R"],
  devices: ["required", "D"],
  directories: ["required", "d"],
  exclude: ["required", "exclude"],
  "exclude-dir": ["required", "exclude-dir"],
  "exclude-from": ["required", "exclude-from"],
  "extended-regexp": ["none", "E"],
  file: ["required", "f"],
  "files-with-matches": ["none", "l"],
  "files-without-match": ["none", "L"],
  "fixed-strings": ["none", "F"],
  "group-separator": ["required", "group-separator"],
  help: ["none", "help"],
  "ignore-case": ["none", "i"],
  include: ["required", "include"],
  "initial-tab": ["none", "T"],
  "invert-match": ["none", "v"],
  label: ["required", "label"],
  "line-buffered": ["none", "line-buffered"],
  "line-number": ["none", "n"],
  "line-regexp": ["none", "x"],
  "max-count": ["required", "m"],
  "no-filename": ["none", "h"],
  "no-group-separator": ["none", "no-group-separator"],
  "no-ignore-case": ["none", "no-ignore-case"],
  "no-messages": ["none", "s"],
  null: ["none", "Z"],
  "null-data": ["none", "z"],
  "only-matching": ["none", "o"],
  "perl-regexp": ["none", "P"],
  quiet: ["none", "q"],
  recursive: ["none", "r"],
  regexp: ["required", "e"],
  silent: ["none", "q"],
  text: ["none", "a"],
  "unix-byte-offsets": ["none", "u"],
  version: ["none", "V"],
  "with-filename": ["none", "H"],
  "word-regexp": ["none", "w"],
};
const SHORT_WITH_ARG = "ABCDXdefm";
const SHORT_FLAGS = "EFGHILPRTUVZabchilnoqrsuvwxyz";

const USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...";

class UsageError extends Error {}
/** A fatal error: `grep: message`, exit 2. */
class Fatal extends Error {}

interface Rule {
  glob: RegExp;
  include: boolean;
}

interface Options extends SearchOptions {
  syntax: Syntax | null;
  patterns: string[] | null;
  icase: boolean;
  word: boolean;
  line: boolean;
  filenames: "always" | "never" | "auto";
  recursive: "r" | "R" | null;
  directories: "read" | "skip" | "recurse";
  /** Default: devices, FIFOs and sockets are read when named, skipped while recursing. */
  devices: "command-line" | "read" | "skip";
  noMessages: boolean;
  rules: Rule[];
  excludeDirs: RegExp[];
  label: string;
  lineBuffered: boolean;
}

function defaults(syntax: Syntax | null): Options {
  return {
    syntax,
    patterns: null,
    icase: false,
    word: false,
    line: false,
    invert: false,
    count: false,
    list: null,
    quiet: false,
    onlyMatching: false,
    lineNumber: false,
    byteOffset: false,
    nullAfterName: false,
    maxCount: Number.POSITIVE_INFINITY,
    after: -1,
    before: -1,
    context: false,
    sep: "\n",
    binaryFiles: "binary",
    initialTab: false,
    filenames: "auto",
    recursive: null,
    directories: "read",
    devices: "command-line",
    noMessages: false,
    rules: [],
    excludeDirs: [],
    label: "(standard input)",
    lineBuffered: false,
    groupSeparator: "--",
  };
}

/** fnmatch(3) without flags (`*` also matches "/") as a RegExp. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") out += "[\\s\\S]*";
    else if (ch === "?") out += "[\\s\\S]";
    else if (ch === "\\" && i + 1 < glob.length) out += escapeRe(glob[++i]!);
    else if (ch === "[") {
      let j = i + 1;
      if (glob[j] === "!" || glob[j] === "^") j++;
      if (glob[j] === "]") j++;
      while (j < glob.length && glob[j] !== "]") j++;
      if (j >= glob.length) {
        out += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, j);
      const negate = body[0] === "!" || body[0] === "^";
      if (negate) body = body.slice(1);
      out += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, (c, k: number) => (c === "]" && k === 0 ? "\\]" : `\\${c}`))}]`;
      i = j;
    } else out += escapeRe(ch);
  }
  return new RegExp(`^${out}$`, "s");
}

function escapeRe(ch: string): string {
  return /[\\^$.|?*+()[\]{}/-]/.test(ch) ? `\\${ch}` : ch;
}

function parseNumber(value: string, what: "context" | "max"): number {
  if (!/^\s*[+]?\d+\s*$/.test(value)) {
    if (what === "max" && /^\s*-\d+\s*$/.test(value)) return Number.POSITIVE_INFINITY;
    throw new Fatal(what === "context" ? `${value}: invalid context length argument` : "invalid max count");
  }
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** Parses argv (GNU getopt_long: options and operands may be mixed unless POSIXLY_CORRECT). */
function parseArgs(rt: Runtime, argv: readonly string[], o: Options): string[] {
  const operands: string[] = [];
  const patterns: string[] = [];
  let patternFiles = false;
  let defaultContext = -1;
  let digits: string | null = null;
  const posixly = rt.env.has("POSIXLY_CORRECT");
  const setSyntax = (s: Syntax) => {
    if (o.syntax !== null && o.syntax !== s) throw new Fatal("conflicting matchers specified");
    o.syntax = s;
  };
  const apply = (key: string, value: string | undefined): void => {
    const v = value ?? "";
    switch (key) {
      case "A":
        o.after = parseNumber(v, "context");
        return;
      case "B":
        o.before = parseNumber(v, "context");
        return;
      case "C":
        defaultContext = parseNumber(v, "context");
        return;
      case "D":
        if (v !== "read" && v !== "skip") throw new Fatal("unknown devices method");
        o.devices = v;
        return;
      case "d":
        if (v !== "read" && v !== "skip" && v !== "recurse")
          throw new Fatal("invalid argument for --directories");
        o.directories = v;
        if (v === "recurse") o.recursive ??= "r";
        return;
      case "e":
        patterns.push(...v.split("\n"));
        return;
      case "f": {
        const text = readPatternFile(rt, v);
        if (text !== "") patterns.push(...text.replace(/\n$/, "").split("\n"));
        patternFiles = true;
        return;
      }
      case "m":
        o.maxCount = parseNumber(v, "max");
        return;
      case "X":
        if (v === "grep") setSyntax("basic");
        else if (v === "egrep") setSyntax("extended");
        else if (v === "fgrep") setSyntax("fixed");
        else if (v === "perl") setSyntax("perl");
        else throw new Fatal("invalid matcher");
        return;
      case "E":
        setSyntax("extended");
        return;
      case "F":
        setSyntax("fixed");
        return;
      case "G":
        setSyntax("basic");
        return;
      case "P":
        setSyntax("perl");
        return;
      case "H":
        o.filenames = "always";
        return;
      case "h":
        o.filenames = "never";
        return;
      case "I":
        o.binaryFiles = "without-match";
        return;
      case "a":
        o.binaryFiles = "text";
        return;
      case "binary-files":
        if (v !== "binary" && v !== "text" && v !== "without-match")
          throw new Fatal("unknown binary-files type");
        o.binaryFiles = v;
        return;
      case "L":
        o.list = "nonmatching";
        return;
      case "l":
        o.list = "matching";
        return;
      case "R":
        o.recursive = "R";
        o.directories = "recurse";
        return;
      case "r":
        o.recursive = "r";
        o.directories = "recurse";
        return;
      case "T":
        o.initialTab = true;
        return;
      case "U":
      case "u":
      case "color":
        return;
      case "V":
        throw new VersionRequest();
      case "help":
        throw new HelpRequest();
      case "Z":
        o.nullAfterName = true;
        return;
      case "z":
        o.sep = "\0";
        return;
      case "b":
        o.byteOffset = true;
        return;
      case "c":
        o.count = true;
        return;
      case "i":
      case "y":
        o.icase = true;
        return;
      case "no-ignore-case":
        o.icase = false;
        return;
      case "n":
        o.lineNumber = true;
        return;
      case "o":
        o.onlyMatching = true;
        return;
      case "q":
        o.quiet = true;
        return;
      case "s":
        o.noMessages = true;
        return;
      case "v":
        o.invert = true;
        return;
      case "w":
        o.word = true;
        return;
      case "x":
        o.line = true;
        return;
      case "include":
      case "exclude":
        o.rules.push({ glob: globToRegExp(v), include: key === "include" });
        return;
      case "exclude-dir":
        o.excludeDirs.push(globToRegExp(v.replace(/\/+$/, "") || v));
        return;
      case "exclude-from": {
        const text = readPatternFile(rt, v);
        for (const g of text.split("\n"))
          if (g !== "") o.rules.push({ glob: globToRegExp(g), include: false });
        return;
      }
      case "label":
        o.label = v;
        return;
      case "line-buffered":
        o.lineBuffered = true;
        return;
      case "group-separator":
        o.groupSeparator = v;
        return;
      case "no-group-separator":
        o.groupSeparator = null;
        return;
      default:
        throw new UsageError(`invalid option -- '${key}'`);
    }
  };

  let i = 0;
  while (i < argv.length) {
    const arg = argv[i++]!;
    if (arg === "--") {
      operands.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const long = lookupLong(name);
      const [kind, key] = LONG[long]!;
      let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
      if (kind === "none" && value !== undefined) {
        throw new UsageError(`option '--${long}' doesn't allow an argument`);
      }
      if (kind === "required" && value === undefined) {
        if (i >= argv.length) throw new UsageError(`option '--${long}' requires an argument`);
        value = argv[i++]!;
      }
      digits = null;
      apply(key, value);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        if (c >= "0" && c <= "9") {
          // -NUM is -C NUM; digits in one run accumulate (-15), a new run starts over.
          digits = j === 1 || digits === null ? c : digits + c;
          defaultContext = Number(digits);
          continue;
        }
        digits = null;
        if (SHORT_WITH_ARG.includes(c)) {
          let value = arg.slice(j + 1);
          if (value === "") {
            if (i >= argv.length) throw new UsageError(`option requires an argument -- '${c}'`);
            value = argv[i++]!;
          }
          apply(c, value);
          break;
        }
        if (!SHORT_FLAGS.includes(c)) throw new UsageError(`invalid option -- '${c}'`);
        apply(c, undefined);
      }
      continue;
    }
    digits = null;
    operands.push(arg);
    if (posixly) {
      operands.push(...argv.slice(i));
      break;
    }
  }
  if (o.after < 0) o.after = defaultContext;
  if (o.before < 0) o.before = defaultContext;
  o.context = o.after >= 0 || o.before >= 0;
  if (o.after < 0) o.after = 0;
  if (o.before < 0) o.before = 0;
  if (patterns.length > 0 || patternFiles) o.patterns = patterns;
  return operands;
}

function lookupLong(name: string): string {
  if (LONG[name]) return name;
  const candidates = Object.keys(LONG).filter((k) => k.startsWith(name));
  // Aliases of one option (--color/--colour) are not ambiguous.
  const distinct = new Set(candidates.map((k) => LONG[k]![1]));
  if (candidates.length === 0 || name === "") throw new UsageError(`unrecognized option '--${name}'`);
  if (distinct.size > 1) {
    throw new UsageError(
      `option '--${name}' is ambiguous; possibilities:${candidates.map((c) => ` '--${c}'`).join("")}`,
    );
  }
  return candidates[0]!;
}

class VersionRequest {}
class HelpRequest {}

function readPatternFile(rt: Runtime, path: string): string {
  let fd = 0;
  try {
    if (path !== "-") fd = rt.open(path, O.READ);
    const parts: Buffer[] = [];
    for (;;) {
      const chunk = rt.read(fd, 1 << 20);
      if (chunk.byteLength === 0) break;
      parts.push(Buffer.from(chunk));
    }
    // Patterns are matched as bytes: keep them as UTF-8 text here, compile() turns them back into bytes.
    return Buffer.concat(parts).toString("utf8");
  } catch (error) {
    if (error instanceof SysError) throw new Fatal(`${path}: ${error.message}`);
    throw error;
  } finally {
    if (fd > 0) rt.close(fd);
  }
}

const HELP = `${USAGE}
Search for PATTERNS in each FILE.
Example: grep -i 'hello world' menu.h main.c
PATTERNS can contain multiple patterns separated by newlines.

Pattern selection and interpretation:
  -E, --extended-regexp     PATTERNS are extended regular expressions
  -F, --fixed-strings       PATTERNS are strings
  -G, --basic-regexp        PATTERNS are basic regular expressions
  -P, --perl-regexp         PATTERNS are JavaScript regular expressions (close to Perl's)
  -e, --regexp=PATTERNS     use PATTERNS for matching
  -f, --file=FILE           take PATTERNS from FILE
  -i, --ignore-case         ignore case distinctions in patterns and data
      --no-ignore-case      do not ignore case distinctions (default)
  -w, --word-regexp         match only whole words
  -x, --line-regexp         match only whole lines
  -z, --null-data           a data line ends in 0 byte, not newline

Miscellaneous:
  -s, --no-messages         suppress error messages
  -v, --invert-match        select non-matching lines
  -V, --version             display version information and exit
      --help                display this help text and exit

Output control:
  -m, --max-count=NUM       stop after NUM selected lines
  -b, --byte-offset         print the byte offset with output lines
  -n, --line-number         print line number with output lines
      --line-buffered       flush output on every line
  -H, --with-filename       print file name with output lines
  -h, --no-filename         suppress the file name prefix on output
      --label=LABEL         use LABEL as the standard input file name prefix
  -o, --only-matching       show only nonempty parts of lines that match
  -q, --quiet, --silent     suppress all normal output
      --binary-files=TYPE   assume that binary files are TYPE;
                            TYPE is 'binary', 'text', or 'without-match'
  -a, --text                equivalent to --binary-files=text
  -I                        equivalent to --binary-files=without-match
  -d, --directories=ACTION  how to handle directories;
                            ACTION is 'read', 'recurse', or 'skip'
  -D, --devices=ACTION      how to handle devices, FIFOs and sockets;
                            ACTION is 'read' or 'skip'
  -r, --recursive           like --directories=recurse
  -R, --dereference-recursive  likewise, but follow all symlinks
      --include=GLOB        search only files that match GLOB (a file pattern)
      --exclude=GLOB        skip files that match GLOB
      --exclude-from=FILE   skip files that match any file pattern from FILE
      --exclude-dir=GLOB    skip directories that match GLOB
  -L, --files-without-match  print only names of FILEs with no selected lines
  -l, --files-with-matches  print only names of FILEs with selected lines
  -c, --count               print only a count of selected lines per FILE
  -T, --initial-tab         make tabs line up (if needed)
  -Z, --null                print 0 byte after FILE name

Context control:
  -B, --before-context=NUM  print NUM lines of leading context
  -A, --after-context=NUM   print NUM lines of trailing context
  -C, --context=NUM         print NUM lines of output context
  -NUM                      same as --context=NUM
      --group-separator=SEP  print SEP on line between matches with context
      --no-group-separator  do not print separator for matches with context
      --color[=WHEN]        accepted and ignored (no colors)

When FILE is '-', read standard input.  With no FILE, read '.' if
recursive, '-' otherwise.  With fewer than two FILEs, assume -h.
Exit status is 0 if any line is selected, 1 otherwise;
if any error occurs and -q is not given, the exit status is 2.

This grep is an agentOS builtin (JavaScript) following GNU grep 3.x; matching is
byte-oriented, as GNU grep under LC_ALL=C.
`;

/** Run grep. `syntax`: the default matcher (egrep: extended, fgrep: fixed). */
export function grepMain(rt: Runtime, syntax: Syntax | null = null): number {
  // Messages name the program as GNU's getprogname() does: the basename of argv[0].
  const prog = (rt.argv[0] ?? "grep").split("/").pop() || "grep";
  const o = defaults(syntax);
  let operands: string[];
  try {
    operands = parseArgs(rt, rt.argv.slice(1), o);
    if (o.patterns === null) {
      if (operands.length === 0) throw new UsageError("");
      o.patterns = operands.shift()!.split("\n");
    }
  } catch (error) {
    if (error instanceof VersionRequest) {
      rt.write(1, "grep (GNU grep compatible) 3.8, agentOS builtin\n");
      return 0;
    }
    if (error instanceof HelpRequest) {
      rt.write(1, HELP);
      return 0;
    }
    if (error instanceof UsageError) {
      if (error.message) rt.error(`${prog}: ${error.message}`);
      rt.error(`${USAGE}\nTry 'grep --help' for more information.`);
      return 2;
    }
    if (error instanceof Fatal) {
      rt.error(`${prog}: ${error.message}`);
      return 2;
    }
    throw error;
  }
  rt.lineBuffered = o.lineBuffered;
  let compiled: ReturnType<typeof compile>;
  try {
    compiled = compile(o.patterns, {
      syntax: o.syntax ?? "basic",
      icase: o.icase,
      word: o.word,
      line: o.line,
      sep: o.sep,
      warn: (m) => rt.error(`${prog}: warning: ${m}`),
    });
  } catch (error) {
    if (error instanceof PatternError) {
      rt.error(`${prog}: ${error.message}`);
      return 2;
    }
    throw error;
  }
  // GNU: -m 0 selects nothing and reads nothing.
  if (o.maxCount === 0) return 1;
  const searcher = new Searcher(rt, o, compiled);
  const walker = new Walker(rt, o, searcher, prog);
  let omitDot = false;
  if (operands.length === 0) {
    if (o.directories === "recurse") {
      operands = ["."];
      omitDot = true;
    } else operands = ["-"];
  }
  const single = operands.length === 1;
  try {
    for (const operand of operands) walker.operand(operand, single, omitDot);
  } catch (error) {
    if (error instanceof QuietMatch) return 0;
    if (error instanceof SysError) {
      // Output failed (ENOSPC…): as GNU's "write error".
      rt.error(`${prog}: write error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (walker.errors && !(o.quiet && walker.matched)) return 2;
  return walker.matched ? 0 : 1;
}

/** Resolves operands: files, stdin, directories (recursively), include/exclude rules. */
class Walker {
  errors = false;
  matched = false;
  private readonly rt: Runtime;
  private readonly o: Options;
  private readonly searcher: Searcher;
  private readonly prog: string;

  constructor(rt: Runtime, o: Options, searcher: Searcher, prog: string) {
    this.rt = rt;
    this.o = o;
    this.searcher = searcher;
    this.prog = prog;
  }

  private fail(name: string, error: unknown): void {
    if (!(error instanceof SysError)) throw error;
    this.errors = true;
    if (!this.o.noMessages) this.rt.error(`${this.prog}: ${name}: ${error.message}`);
  }

  operand(operand: string, single: boolean, omitDot: boolean): void {
    const o = this.o;
    const named = o.filenames === "always" || (o.filenames === "auto" && !single);
    if (operand === "-") {
      this.searchFd(0, o.label, named);
      return;
    }
    let st: ReturnType<Runtime["stat"]>;
    try {
      st = this.rt.stat(operand, true);
    } catch (error) {
      this.fail(operand, error);
      return;
    }
    if (st.type === FileTypeCode.DIRECTORY) {
      if (o.directories === "skip") return;
      if (o.directories === "read") {
        this.errors = true;
        if (!o.noMessages) this.rt.error(`${this.prog}: ${operand}: Is a directory`);
        return;
      }
      if (!omitDot && o.excludeDirs.some((g) => suffixMatch(g, operand))) return;
      const inNames = o.filenames === "always" || o.filenames === "auto";
      this.walk(operand, omitDot ? "" : operand, inNames, [`${st.dev}:${st.ino}`]);
      return;
    }
    if (o.rules.length > 0 && excluded(o.rules, (g) => suffixMatch(g, operand))) return;
    if (o.devices === "skip" && isDevice(st.type)) return;
    this.searchPath(operand, operand, named);
  }

  private walk(path: string, display: string, named: boolean, ancestors: string[]): void {
    const o = this.o;
    let entries: ReturnType<Runtime["readdir"]>;
    try {
      entries = this.rt.readdir(path);
    } catch (error) {
      this.fail(display || ".", error);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = path.endsWith("/") ? `${path}${e.name}` : `${path}/${e.name}`;
      const shown =
        display === "" ? e.name : display.endsWith("/") ? `${display}${e.name}` : `${display}/${e.name}`;
      let type = e.type;
      let id = `:${e.ino}`;
      if (type === FileTypeCode.SYMBOLIC_LINK || type === FileTypeCode.UNKNOWN) {
        // -r skips symlinks met while recursing; -R follows them.
        if (type === FileTypeCode.SYMBOLIC_LINK && o.recursive !== "R") continue;
        try {
          const st = this.rt.stat(child, true);
          type = st.type;
          id = `${st.dev}:${st.ino}`;
        } catch (error) {
          this.fail(shown, error);
          continue;
        }
      }
      if (type === FileTypeCode.DIRECTORY) {
        if (o.excludeDirs.some((g) => g.test(e.name))) continue;
        if (id.startsWith(":")) {
          try {
            const st = this.rt.stat(child, true);
            id = `${st.dev}:${st.ino}`;
          } catch (error) {
            this.fail(shown, error);
            continue;
          }
        }
        if (ancestors.includes(id)) {
          if (!o.noMessages) this.rt.error(`${this.prog}: ${shown}: warning: recursive directory loop`);
          continue;
        }
        this.walk(child, shown, named, [...ancestors, id]);
        continue;
      }
      // Devices, FIFOs and sockets met while recursing are skipped unless -D read was given.
      if (type !== FileTypeCode.REGULAR_FILE && o.devices !== "read") continue;
      if (o.rules.length > 0 && excluded(o.rules, (g) => g.test(e.name))) continue;
      this.searchPath(child, shown, named);
    }
  }

  private searchPath(path: string, shown: string, named: boolean): void {
    let fd: number;
    try {
      fd = this.rt.open(path, O.READ);
    } catch (error) {
      this.fail(shown, error);
      return;
    }
    try {
      this.searchFd(fd, shown, named);
    } finally {
      try {
        this.rt.close(fd);
      } catch {
        // already reported
      }
    }
  }

  private searchFd(fd: number, shown: string, named: boolean): void {
    const o = this.o;
    try {
      const result = this.searcher.search(fd, shown, named);
      if (result.selected > 0) this.matched = true;
      if (result.binaryMatched && !o.quiet && o.list === null && !o.count) {
        this.rt.error(`${this.prog}: ${shown}: binary file matches`);
      }
    } catch (error) {
      if (error instanceof QuietMatch) throw error;
      if (error instanceof SysError && error.op === "read") {
        this.fail(shown, error);
        return;
      }
      throw error;
    }
  }
}

function isDevice(type: number): boolean {
  return (
    type === FileTypeCode.CHARACTER_DEVICE ||
    type === FileTypeCode.BLOCK_DEVICE ||
    type === FileTypeCode.FIFO ||
    type === FileTypeCode.SOCKET_STREAM ||
    type === FileTypeCode.SOCKET_DGRAM
  );
}

/** A command-line name matches if it or a suffix starting after a "/" does (GNU's exclude rules). */
function suffixMatch(glob: RegExp, name: string): boolean {
  if (glob.test(name)) return true;
  for (let i = name.indexOf("/"); i >= 0; i = name.indexOf("/", i + 1)) {
    if (name[i + 1] !== undefined && name[i + 1] !== "/" && glob.test(name.slice(i + 1))) return true;
  }
  return false;
}

/** --include/--exclude: the last matching option decides; if none matches, excluded iff the first was --include. */
function excluded(rules: readonly Rule[], matches: (glob: RegExp) => boolean): boolean {
  for (let k = rules.length - 1; k >= 0; k--) if (matches(rules[k]!.glob)) return !rules[k]!.include;
  return rules[0]!.include;
}
