// node:repl — the interactive REPL `node` starts when stdin is a terminal. Reads lines from fd 0
// through the event loop (so timers and promises run between inputs), evaluates them as global
// script code, prints results with util.inspect. Multi-line input continues while the code is
// incomplete (`...` prompt); `.exit`, `.help`, `.break` and ^D (end of input) as in Node.

const internal = require("internal");
const { host, sys, Sys } = internal;

function position(err) {
  const m = /:(\d+):(\d+)\)?\s*$/m.exec(String(err && err.stack));
  return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
}

/** A SyntaxError that more input could fix (QuickJS reports these at the end of the text). */
function incomplete(err, code) {
  if (!(err instanceof SyntaxError)) return false;
  if (/unexpected end of/.test(err.message)) return true;
  const lines = code.split("\n");
  const pos = position(err);
  if (!pos) return false;
  const last = lines[lines.length - 1];
  return pos.line >= lines.length && pos.col > last.length;
}

function start(options = {}) {
  const util = require("util");
  const process = internal.process;
  const prompt = typeof options === "string" ? options : (options.prompt ?? "> ");
  const fd = 0;
  let buffer = "";
  let closed = false;
  let pendingText = "";

  const out = (s) => host.write(1, s);
  const showPrompt = () => out(buffer ? "... " : prompt);

  function printError(e) {
    let text;
    if (e instanceof Error) {
      text = `Uncaught ${e.name}: ${e.message}`;
      const extra = Object.keys(e).filter((k) => k !== "stack" && k !== "message");
      if (extra.length) {
        const o = {};
        for (const k of extra) o[k] = e[k];
        text += ` ${util.inspect(o)}`;
      }
    } else text = `Uncaught ${util.inspect(e)}`;
    host.write(2, `${text}\n`);
  }

  function show(value) {
    globalThis._ = value;
    out(`${util.inspect(value)}\n`);
  }

  function evaluate(code) {
    // `{ a: 1 }` is an object literal in the REPL, as in Node.
    if (/^\s*\{/.test(code) && !/;\s*$/.test(code)) {
      try {
        return { value: host.evalScript(`(${code}\n)`, "REPL") };
      } catch (e) {
        if (!(e instanceof SyntaxError)) return { error: e };
      }
    }
    try {
      return { value: host.evalScript(code, "REPL") };
    } catch (e) {
      if (e instanceof SyntaxError && /\bawait\b/.test(code) && !incomplete(e, code)) {
        // Top-level await: run the input as an async function body returning its last expression.
        try {
          const body = /^\s*(const|let|var|if|for|while|function|class|try)\b/.test(code)
            ? code
            : `return (${code.replace(/;\s*$/, "")}\n)`;
          return { promise: host.evalScript(`(async () => {${body}\n})()`, "REPL") };
        } catch {}
      }
      return { error: e };
    }
  }

  function command(line) {
    const cmd = line.trim().split(/\s+/)[0];
    switch (cmd) {
      case ".exit":
        close();
        return true;
      case ".help":
        out(
          ".break    Sometimes you get stuck, this gets you out\n" +
            ".clear    Alias for .break\n" +
            ".exit     Exit the REPL\n" +
            ".help     Print this help message\n\n" +
            "Press Ctrl+C to abort current expression, Ctrl+D to exit the REPL\n",
        );
        return true;
      case ".break":
      case ".clear":
        buffer = "";
        return true;
      default:
        if (!buffer && /^\.[a-z]+$/.test(cmd)) {
          out("Invalid REPL keyword\n");
          return true;
        }
        return false;
    }
  }

  function onLine(line) {
    if (command(line)) {
      if (!closed) showPrompt();
      return;
    }
    const code = buffer ? `${buffer}\n${line}` : line;
    if (code.trim() === "") {
      buffer = "";
      showPrompt();
      return;
    }
    const r = evaluate(code);
    if (r.error !== undefined && incomplete(r.error, code)) {
      buffer = code;
      showPrompt();
      return;
    }
    buffer = "";
    if (r.promise) {
      waiting = true;
      r.promise.then(
        (v) => {
          waiting = false;
          show(v);
          next();
        },
        (e) => {
          waiting = false;
          printError(e);
          next();
        },
      );
      return;
    }
    if ("error" in r) printError(r.error);
    else show(r.value);
    showPrompt();
  }

  let waiting = false;
  function next() {
    if (closed) return;
    if (!pendingText.includes("\n")) return showPrompt();
    // Lines that arrived while an await was pending.
    while (!waiting && !closed && pendingText.includes("\n")) {
      const i = pendingText.indexOf("\n");
      const line = pendingText.slice(0, i);
      pendingText = pendingText.slice(i + 1);
      onLine(line);
    }
  }

  function close() {
    if (closed) return;
    closed = true;
    internal.watchers.delete(watcher);
    internal.replActive = null;
    process.exit();
  }

  const watcher = {
    fd,
    ref: true,
    onReady() {
      const r = sys(Sys.READ, fd, 65536);
      if (r[0] !== 0 && r[0] !== 6 && r[0] !== 27) return close();
      if (r[0] !== 0) return;
      if (r[1].byteLength === 0) {
        out("\n");
        return close();
      }
      pendingText += host.decode(r[1]);
      if (waiting) return;
      while (pendingText.includes("\n") && !waiting && !closed) {
        const i = pendingText.indexOf("\n");
        const line = pendingText.slice(0, i);
        pendingText = pendingText.slice(i + 1);
        onLine(line);
      }
    },
  };
  internal.replActive = (err) => {
    printError(err);
    if (!waiting) showPrompt();
  };
  internal.watchers.add(watcher);
  showPrompt();
  return { close };
}

module.exports = { start, REPLServer: class REPLServer {} };
