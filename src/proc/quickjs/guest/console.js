// node:console — the global console, writing to process.stdout/stderr (or fds 1/2 directly).

const internal = require("internal");
const util = require("util");

function writer(fd) {
  const name = fd === 1 ? "stdout" : "stderr";
  return (s) => {
    const d = Object.getOwnPropertyDescriptor(internal.process, name);
    if (d && "value" in d) d.value.write(s);
    else internal.host.write(fd, s);
  };
}

class Console {
  constructor(stdout, stderr) {
    if (stdout && typeof stdout.write === "function" && !(stdout instanceof Function)) {
      this._out = (s) => stdout.write(s);
      this._err = stderr ? (s) => stderr.write(s) : this._out;
    } else if (stdout && stdout.stdout) {
      this._out = (s) => stdout.stdout.write(s);
      this._err = (s) => (stdout.stderr || stdout.stdout).write(s);
    } else {
      this._out = writer(1);
      this._err = writer(2);
    }
    this._indent = "";
    this._counts = new Map();
    this._timers = new Map();
    for (const k of Object.getOwnPropertyNames(Console.prototype)) {
      if (k !== "constructor" && typeof this[k] === "function") this[k] = this[k].bind(this);
    }
  }
  _print(to, args) {
    let s = util.formatWithOptions({}, ...args);
    if (this._indent) s = this._indent + s.replace(/\n/g, `\n${this._indent}`);
    (to === 1 ? this._out : this._err)(`${s}\n`);
  }
  log(...a) {
    this._print(1, a);
  }
  info(...a) {
    this._print(1, a);
  }
  debug(...a) {
    this._print(1, a);
  }
  error(...a) {
    this._print(2, a);
  }
  warn(...a) {
    this._print(2, a);
  }
  trace(...a) {
    const e = new Error(util.format(...a));
    e.name = "Trace";
    this._print(2, [String(e.stack)]);
  }
  dir(obj, options) {
    this._print(1, [util.inspect(obj, { customInspect: false, ...options })]);
  }
  dirxml(...a) {
    this.log(...a);
  }
  assert(cond, ...a) {
    if (!cond) this._print(2, a.length ? [`Assertion failed: ${util.format(...a)}`] : ["Assertion failed"]);
  }
  count(label = "default") {
    const n = (this._counts.get(label) || 0) + 1;
    this._counts.set(label, n);
    this._print(1, [`${label}: ${n}`]);
  }
  countReset(label = "default") {
    this._counts.delete(label);
  }
  group(...a) {
    if (a.length) this.log(...a);
    this._indent += "  ";
  }
  groupCollapsed(...a) {
    this.group(...a);
  }
  groupEnd() {
    this._indent = this._indent.slice(2);
  }
  time(label = "default") {
    this._timers.set(label, internal.nowMs());
  }
  timeEnd(label = "default") {
    this.timeLog(label);
    this._timers.delete(label);
  }
  timeLog(label = "default", ...a) {
    const t = this._timers.get(label);
    if (t === undefined) {
      process.emitWarning(`No such label '${label}' for console.timeLog()`);
      return;
    }
    const ms = internal.nowMs() - t;
    const shown = ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
    this._print(1, [`${label}: ${shown}`, ...a]);
  }
  table(data, columns) {
    if (data === null || typeof data !== "object") return this.log(data);
    const rows = [];
    const keys = [];
    let hasValues = false;
    const isMap = data instanceof Map;
    const entries = isMap
      ? [...data.entries()]
      : Array.isArray(data)
        ? data.map((v, i) => [i, v])
        : Object.entries(data);
    for (const [k, v] of entries) {
      const row = { "(index)": String(k) };
      if (v !== null && typeof v === "object") {
        for (const c of Object.keys(v)) {
          if (columns && !columns.includes(c)) continue;
          if (!keys.includes(c)) keys.push(c);
          row[c] = util.inspect(v[c], { depth: 1, breakLength: Number.POSITIVE_INFINITY });
        }
      } else {
        hasValues = true;
        row.Values = util.inspect(v);
      }
      rows.push(row);
    }
    const header = [isMap ? "(iteration index)" : "(index)", ...keys, ...(hasValues ? ["Values"] : [])];
    const cell = (row, h) => (h === "(iteration index)" ? row["(index)"] : (row[h] ?? ""));
    const widths = header.map((h) => Math.max(h.length, ...rows.map((r) => String(cell(r, h)).length)) + 2);
    const center = (s, w) => ` ${s}${" ".repeat(Math.max(0, w - s.length - 1))}`;
    const line = (l, m, r) => l + widths.map((w) => "─".repeat(w)).join(m) + r;
    const out = [
      line("┌", "┬", "┐"),
      `│${header.map((h, i) => center(h, widths[i])).join("│")}│`,
      line("├", "┼", "┤"),
    ];
    for (const r of rows)
      out.push(`│${header.map((h, i) => center(String(cell(r, h)), widths[i])).join("│")}│`);
    out.push(line("└", "┴", "┘"));
    this._out(`${out.join("\n")}\n`);
  }
  clear() {}
  profile() {}
  profileEnd() {}
  timeStamp() {}
}

const console = new Console();
console.Console = Console;
module.exports = console;
