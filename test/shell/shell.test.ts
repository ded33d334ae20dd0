/**
 * Interactive shells driven programmatically, as a terminal UI or an agent would: type, read the
 * screen, resize, press ^C and ^D. brush runs its line editor (raw mode, cursor queries) on the pty.
 */

import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentOS } from "../../src/index.ts";
import { Sys } from "../../src/kernel/abi.ts";
import { type ShellEvents, ShellManager, type ShellOptions } from "../../src/proc/shells.ts";

let vm: AgentOS;
let shells: ShellManager;
const events = new EventEmitter<ShellEvents>();
events.setMaxListeners(0);

/** The window size as a process sees it (`TTY_SIZE` on its stdin), printed by a host command. */
const winsize = async (ctx: { pid: number; stdout: { write(s: string): Promise<unknown> } }) => {
  const proc = vm.kernel.processes.get(ctx.pid)!;
  const r = await vm.kernel.syscall(proc, Sys.TTY_SIZE, [0]);
  await ctx.stdout.write(r.errno === 0 ? `size=${r.values[1]}x${r.values[0]}\n` : `errno=${r.errno}\n`);
  return 0;
};

beforeAll(async () => {
  vm = await AgentOS.create({ hostCommands: { winsize } });
  shells = new ShellManager(vm.kernel, events, () => vm.defaultEnv());
});

afterAll(async () => {
  shells.dispose();
  await vm.dispose();
});

/** Escape sequences out, so assertions read like the screen's text. */
function plain(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[a-zA-Z]|\x1b[78]|\x1b\][^\x07]*\x07/g, "");
}

class Terminal {
  readonly id: string;
  readonly pid: number;
  raw = "";

  private constructor(id: string, pid: number) {
    this.id = id;
    this.pid = pid;
    events.on("shellData", ({ shellId, data }) => {
      if (shellId === this.id) this.raw += Buffer.from(data).toString("utf8");
    });
  }

  static async open(options: ShellOptions = {}): Promise<Terminal> {
    const { shellId, pid } = await shells.open(options);
    const t = new Terminal(shellId, pid);
    await t.prompt();
    return t;
  }

  get text(): string {
    return plain(this.raw);
  }

  /** Wait until the screen text (after `from`) matches. */
  async waitFor(pattern: string | RegExp, from = 0, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = plain(this.raw.slice(from));
      if (typeof pattern === "string" ? seen.includes(pattern) : pattern.test(seen)) return seen;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${String(pattern)}; screen: ${JSON.stringify(seen)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Wait for a fresh prompt after `from`. */
  prompt(from = 0): Promise<string> {
    return this.waitFor(/\$ $/, from);
  }

  /** Type `line` and Enter; resolves with what the screen showed until the next prompt. */
  async run(line: string): Promise<string> {
    const from = this.raw.length;
    shells.write(this.id, `${line}\r`);
    return this.prompt(from);
  }

  type(data: string): void {
    shells.write(this.id, data);
  }
}

describe("openShell", () => {
  it("shows a prompt, runs a typed command and shows its output", async () => {
    const t = await Terminal.open();
    const screen = await t.run("echo hello");
    expect(screen).toContain("echo hello\r\n"); // the line editor's echo
    expect(screen).toMatch(/\r\nhello\r\n/); // ONLCR applied to the command's output
    await shells.close(t.id);
  });

  it("the terminal is a tty inside: isatty on fds 0-2, TERM, the window size", async () => {
    const t = await Terminal.open({ cols: 100, rows: 30 });
    expect(await t.run("[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo is-a-tty")).toMatch(/\r\nis-a-tty\r\n/);
    expect(await t.run("echo term=$TERM")).toContain("term=xterm-256color");
    expect(await t.run("winsize")).toContain("size=30x100");
    // Redirected or piped, stdout is not a terminal any more.
    expect(await t.run("[ -t 1 ] > /dev/null || echo not-tty")).toMatch(/\r\nnot-tty\r\n/);
    expect(await t.run("(test -t 1 && echo yes || echo no) | cat")).toMatch(/\r\nno\r\n/);
    await shells.close(t.id);
  });

  it("resizeShell: processes see the new size", async () => {
    const t = await Terminal.open({ cols: 80, rows: 24 });
    expect(await t.run("winsize")).toContain("size=24x80");
    expect(await t.run("stty size")).toMatch(/\r\n24 80\r\n/);
    shells.resize(t.id, 132, 43);
    expect(await t.run("winsize")).toContain("size=43x132");
    // stty and tput (builtins) ask the pty, as on Linux.
    expect(await t.run("stty size")).toMatch(/\r\n43 132\r\n/);
    expect(await t.run("tput cols; tput lines")).toMatch(/\r\n132\r\n43\r\n/);
    expect(shells.list().find((s) => s.shellId === t.id)).toMatchObject({ cols: 132, rows: 43 });
    await shells.close(t.id);
  });

  it("^C on a running command returns to the prompt at once and the command is gone", async () => {
    const t = await Terminal.open();
    const from = t.raw.length;
    t.type("sleep 100\r");
    await t.waitFor("sleep 100\r\n", from);
    const until = Date.now() + 5000;
    while (!vm.listProcesses().some((p) => p.command.endsWith("sleep") && p.state === "running")) {
      if (Date.now() > until) throw new Error("sleep never started");
      await new Promise((r) => setTimeout(r, 5));
    }
    const t0 = Date.now();
    const at = t.raw.length;
    t.type("\x03");
    await t.prompt(at);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(t.text.slice(-40)).toContain("^C");
    expect(vm.listProcesses().filter((p) => p.command.endsWith("sleep"))).toEqual([]);
    // The shell survived and works.
    expect(await t.run("echo $?")).toMatch(/\r\n130\r\n/);
    expect(vm.listProcesses().some((p) => p.pid === t.pid && p.state === "running")).toBe(true);
    await shells.close(t.id);
  });

  it("^C at the prompt discards the line (the editor's raw mode gets the byte)", async () => {
    const t = await Terminal.open();
    const from = t.raw.length;
    t.type("echo never");
    await t.waitFor("echo never", from);
    t.type("\x03");
    await t.prompt(from + 1);
    expect(await t.run("echo after")).toMatch(/\r\nafter\r\n/);
    expect(t.text).not.toMatch(/\r\nnever\r\n/);
    await shells.close(t.id);
  });

  it("^D at an empty prompt exits the shell and waitShell resolves", async () => {
    const t = await Terminal.open();
    await t.run("true");
    t.type("\x04");
    const status = await shells.wait(t.id);
    expect(status).toEqual({ exitCode: 0 });
    await t.waitFor("exit");
    await shells.close(t.id);
  });

  it("line editing: backspace in the editor; ^U, ^W, ^D in a cooked-mode reader", async () => {
    const t = await Terminal.open();
    expect(await t.run("echx\x7fo hi")).toMatch(/\r\nhi\r\n/);
    // While a command runs the editor is off: the pty's canonical mode edits the line `cat` reads.
    const from = t.raw.length;
    t.type("cat\r");
    await t.waitFor("cat\r\n", from);
    t.type("junk\x15abx\x7fc\x17wordy\r");
    const echoed = await t.waitFor(/wordy\r\nwordy\r\n/, from);
    expect(echoed).toContain("junk\b \b\b \b\b \b\b \b");
    t.type("\x04");
    await t.prompt(from + 1);
    await shells.close(t.id);
  });

  it("a program reading the terminal gets lines; the shell's read builtin too", async () => {
    const t = await Terminal.open();
    let from = t.raw.length;
    t.type("wc -l\r");
    await t.waitFor("wc -l\r\n", from);
    t.type("one\rtwo\r\x04");
    expect(await t.prompt(from)).toMatch(/\r\n2\r\n/);
    from = t.raw.length;
    t.type("read x; echo got=$x\r");
    await t.waitFor("echo got=$x\r\n", from);
    // Type once `read` waits in cooked mode: typeahead sent while brush's editor still holds the
    // terminal in raw mode keeps its raw CR, as on Linux, and a cooked read would not see a line.
    const until = Date.now() + 5000;
    while (shells.pty(t.id).raw && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
    t.type("hello there\r");
    expect(await t.prompt(from)).toContain("got=hello there");
    await shells.close(t.id);
  });

  it("two shells at once stay separate", async () => {
    const [a, b] = await Promise.all([Terminal.open(), Terminal.open()]);
    const [ra, rb] = await Promise.all([a.run("echo from-a"), b.run("echo from-b")]);
    expect(ra).toContain("from-a\r\n");
    expect(ra).not.toContain("from-b");
    expect(rb).toContain("from-b\r\n");
    expect(rb).not.toContain("from-a");
    expect(a.pid).not.toBe(b.pid);
    await Promise.all([shells.close(a.id), shells.close(b.id)]);
  });

  it("closeShell hangs up: the shell and its foreground job end", async () => {
    const t = await Terminal.open();
    const from = t.raw.length;
    t.type("sleep 100\r");
    await t.waitFor("sleep 100\r\n", from);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await shells.close(t.id, 500);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(vm.listProcesses().filter((p) => p.pid === t.pid || p.command.endsWith("sleep"))).toEqual([]);
    expect(() => shells.write(t.id, "x")).toThrow();
  });

  it("runs another command on the pty", async () => {
    const { shellId } = await shells.open({ command: "cat" });
    let out = "";
    events.on("shellData", ({ shellId: id, data }) => {
      if (id === shellId) out += Buffer.from(data).toString();
    });
    shells.write(shellId, "ping\r");
    const until = Date.now() + 5000;
    while (!out.includes("ping\r\nping\r\n") && Date.now() < until)
      await new Promise((r) => setTimeout(r, 5));
    expect(out).toBe("ping\r\nping\r\n");
    shells.write(shellId, "\x03"); // not a shell: ^C ends it
    expect(await shells.wait(shellId)).toEqual({ exitCode: 130, signal: "SIGINT" });
    await shells.close(shellId);
  });
});
