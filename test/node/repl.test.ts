/** The `node` REPL on a terminal: fds 0-2 on a pty, driven by typing lines. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VM_USER } from "../../src/fs/index.ts";
import { Pty } from "../../src/kernel/pty.ts";
import { createNodeVm, type NodeVm } from "./harness.ts";

let vm: NodeVm;
beforeAll(async () => {
  vm = await createNodeVm();
});
afterAll(() => vm.dispose());

async function startRepl() {
  let screen = "";
  const pty = new Pty({ onOutput: (d) => (screen += Buffer.from(d).toString()) });
  const slave = pty.openSlave();
  const fds = vm.kernel.newFdTable();
  fds.set(0, slave);
  fds.set(1, slave.retain());
  fds.set(2, slave.retain());
  const proc = await vm.kernel.spawn({
    file: "node",
    argv: ["node"],
    env: ["PATH=/usr/bin:/bin", "HOME=/home/user"],
    cwd: "/workspace",
    cred: { uid: VM_USER.uid, gid: VM_USER.gid },
    fds,
  });
  let seen = 0;
  /** Waits until the screen (after what earlier waits consumed) contains `text`; returns it. */
  const until = async (text: string, ms = 5000) => {
    const end = Date.now() + ms;
    for (;;) {
      const norm = screen.replace(/\r\n/g, "\n");
      const i = norm.indexOf(text, seen);
      if (i >= 0) {
        const out = norm.slice(seen, i + text.length);
        seen = i + text.length;
        return out;
      }
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const type = (line: string) => pty.write(`${line}\r`);
  return { pty, proc, until, type, screen: () => screen };
}

describe("node REPL on a tty", () => {
  it("evaluates lines, keeps state, multi-line input, errors continue, .exit", async () => {
    const r = await startRepl();
    await r.until("> ");
    r.type("1 + 2");
    expect(await r.until("> ")).toBe("1 + 2\n3\n> ");
    r.type("const o = { a: 1, b: [1, 2] }");
    expect(await r.until("> ")).toBe("const o = { a: 1, b: [1, 2] }\nundefined\n> ");
    r.type("o");
    expect(await r.until("> ")).toBe("o\n{ a: 1, b: [ 1, 2 ] }\n> ");
    r.type("function f(x) {");
    expect(await r.until("... ")).toBe("function f(x) {\n... ");
    r.type("  return x * 2;");
    await r.until("... ");
    r.type("}");
    await r.until("> ");
    r.type("f(21)");
    expect(await r.until("> ")).toBe("f(21)\n42\n> ");
    r.type("nope.x");
    expect(await r.until("> ")).toBe("nope.x\nUncaught ReferenceError: 'nope' is not defined\n> ");
    r.type("'str'");
    expect(await r.until("> ")).toBe("'str'\n'str'\n> ");
    r.type("require('path').join('a', 'b')");
    expect(await r.until("> ")).toContain("'a/b'");
    r.type("await Promise.resolve(7)");
    expect(await r.until("> ")).toBe("await Promise.resolve(7)\n7\n> ");
    r.type("_ + 1");
    expect(await r.until("> ")).toBe("_ + 1\n8\n> ");
    r.type("setTimeout(() => console.log('later'), 5), 'now'");
    expect(await r.until("'now'\n> ")).toContain("setTimeout");
    expect(await r.until("later\n")).toBe("later\n");
    r.type(".exit");
    const status = await r.proc.whenExited();
    expect(status.exitCode).toBe(0);
  });

  it("^D exits; an error thrown in a timer prints and the REPL continues", async () => {
    const r = await startRepl();
    await r.until("> ");
    r.type("setTimeout(() => { throw new Error('boom'); }, 1), 1");
    expect(await r.until("Uncaught Error: boom")).toContain("1\n");
    r.type("2");
    expect(await r.until("2\n")).toBeTruthy();
    r.pty.write("\x04");
    const status = await r.proc.whenExited();
    expect(status.exitCode).toBe(0);
  });

  it("without a tty, node reads the program from stdin", async () => {
    const r = await vm.exec("echo 'console.log(6 * 7)' | node");
    expect(r.stdout).toBe("42\n");
  });
});
