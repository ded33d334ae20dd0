import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payloadFor, runCommand, runPayload, WorkerPool } from "./testing/run.ts";
import { type BuiltImport, commandModule, op, PROC_EXIT } from "./testing/wasm-builder.ts";
import type { WasmJobPayload } from "./types.ts";

let pool: WorkerPool;
beforeAll(() => {
  pool = new WorkerPool({ spares: 1 });
});
afterAll(() => pool.shutdown());

const files = {
  "/etc/motd": "hello from the vm\n",
  "/home/agent/notes.txt": "alpha\nbeta\ngamma\n",
  "/home/agent/src/": "",
};
const exited = (code: number) => ({ type: "exit", code });

describe("real commands in a pool worker", () => {
  it("echo writes its arguments", async () => {
    const { exit, kernel } = await runCommand(pool, ["echo", "hello", "world"]);
    expect(exit).toEqual(exited(0));
    expect(kernel.stdout).toBe("hello world\n");
  });

  it("with fd hints in the payload, echo makes a single syscall", async () => {
    const payload = {
      ...payloadFor(["echo", "hi"]),
      fds: [{ fd: 1, fdstat: [8, 0, 2, 0] as const, tty: false }],
    };
    const { exit, kernel } = await runPayload(pool, payload);
    expect(exit).toEqual(exited(0));
    expect(kernel.trace).toEqual(["WRITE"]);
  });

  it("cat reads an absolute path through the hidden '/' preopen, a relative one from PWD, and stdin", async () => {
    const abs = await runCommand(pool, ["cat", "/etc/motd"], { files });
    expect(abs.kernel.stdout).toBe("hello from the vm\n");
    const rel = await runCommand(pool, ["cat", "notes.txt"], {
      files,
      cwd: "/home/agent",
      env: ["PWD=/home/agent"],
    });
    expect(rel.kernel.stdout).toBe("alpha\nbeta\ngamma\n");
    const stdin = await runCommand(pool, ["cat"], { stdin: "piped\n" });
    expect(stdin.kernel.stdout).toBe("piped\n");
  });

  it("cat of a missing file prints the error and exits 1", async () => {
    const { exit, kernel } = await runCommand(pool, ["cat", "/nope"], { files });
    expect(exit).toEqual(exited(1));
    expect(kernel.stderr).toMatch(/cat: \/nope: No such file or directory/);
  });

  it("ls lists directories (fd_readdir) and tells files from directories (path_mode type bits)", async () => {
    const { exit, kernel } = await runCommand(pool, ["ls", "-p", "/home/agent"], { files });
    expect(exit).toEqual(exited(0));
    expect(kernel.stdout).toBe("notes.txt\nsrc/\n");
    const long = await runCommand(pool, ["ls", "-ld", "/home/agent/src"], { files });
    expect(long.kernel.stdout).toMatch(/^drwxr-xr-x /);
  });

  it("ls reads a directory larger than one fd_readdir buffer", async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 300; i++) many[`/many/entry-with-a-long-name-${String(i).padStart(3, "0")}`] = "";
    const { kernel } = await runCommand(pool, ["ls", "/many"], { files: many });
    const names = kernel.stdout.trim().split("\n");
    expect(names).toHaveLength(300);
    expect(names.at(-1)).toBe("entry-with-a-long-name-299");
    expect(kernel.trace.filter((t) => t === "READDIR").length).toBeGreaterThan(1);
  });

  it("wc counts a file and stdin", async () => {
    expect((await runCommand(pool, ["wc", "-l", "/home/agent/notes.txt"], { files })).kernel.stdout).toBe(
      "3 /home/agent/notes.txt\n",
    );
    expect((await runCommand(pool, ["wc", "-w"], { stdin: "a b c\nd\n" })).kernel.stdout).toBe("4\n");
  });

  it("sh -c runs builtins and returns their status", async () => {
    const hi = await runCommand(pool, ["sh", "-c", "echo hi"]);
    expect(hi.exit).toEqual(exited(0));
    expect(hi.kernel.stdout).toBe("hi\n");
    const loop = await runCommand(pool, ["sh", "-c", "for i in 1 2 3; do echo $i; done; exit 3"]);
    expect(loop.exit).toEqual(exited(3));
    expect(loop.kernel.stdout).toBe("1\n2\n3\n");
  });

  it("legacy grep reads absolute paths and paths relative to its cwd", async () => {
    const abs = await runCommand(pool, ["grep", "eta", "/home/agent/notes.txt"], { files });
    expect(abs.exit).toEqual(exited(0));
    expect(abs.kernel.stdout).toBe("beta\n");
    const rel = await runCommand(pool, ["grep", "-c", "a", "notes.txt"], {
      files,
      cwd: "/home/agent",
      env: ["PWD=/home/agent"],
    });
    expect(rel.kernel.stdout).toBe("3\n");
    const none = await runCommand(pool, ["grep", "zzz", "/etc/motd"], { files });
    expect(none.exit).toEqual(exited(1));
  });

  it("runs a WASI-only module (jq)", async () => {
    const { exit, kernel } = await runCommand(pool, ["jq", "-c", ".a"], { stdin: '{"a":[1,2]}' });
    expect(exit).toEqual(exited(0));
    expect(kernel.stdout).toBe("[1,2]\n");
  });
});

function synthetic(imports: BuiltImport[], body: number[], withSignatures = false): WasmJobPayload {
  return {
    module: new WebAssembly.Module(commandModule(imports, body)),
    abi: "v3",
    argv: ["synth"],
    env: [],
    pid: 9,
    ...(withSignatures ? { imports } : {}),
  };
}

describe("synthetic modules", () => {
  it("a trap prints '<argv0>: fatal: <message>' on fd 2 and exits 134", async () => {
    const { exit, kernel } = await runPayload(pool, synthetic([], op.unreachable));
    expect(exit).toEqual(exited(134));
    expect(kernel.stderr).toBe("synth: fatal: unreachable\n");
  });

  it("returning from _start is status 0; proc_exit's code is masked to 8 bits", async () => {
    expect((await runPayload(pool, synthetic([], []))).exit).toEqual(exited(0));
    const body = [...op.i32(256 + 7), ...op.call(0)];
    expect((await runPayload(pool, synthetic([PROC_EXIT], body))).exit).toEqual(exited(7));
  });

  it("an import the runner lacks is a silent ENOSYS stub; an i64 one answers -1", async () => {
    const odd: BuiltImport = { module: "host_mystery", name: "thing", params: ["i32"], results: ["i32"] };
    const body = [...op.i32(0), ...op.call(0), ...op.call(1)];
    const { exit, kernel } = await runPayload(pool, synthetic([odd, PROC_EXIT], body));
    expect(exit).toEqual(exited(52));
    expect(kernel.stderr).toBe("");
    const wide: BuiltImport = { module: "host_mystery", name: "size", params: [], results: ["i64"] };
    const isMinusOne = [...op.call(0), ...op.i64(-1), ...op.i64Eq, ...op.call(1)];
    expect((await runPayload(pool, synthetic([wide, PROC_EXIT], isMinusOne, true))).exit).toEqual(exited(1));
  });

  it("a successful proc_exec ends the job at once with status 0", async () => {
    const exec: BuiltImport = {
      module: "host_process",
      name: "proc_exec",
      params: Array(8).fill("i32"),
      results: ["i32"],
    };
    const body = [...Array(8).fill(op.i32(0)).flat(), ...op.call(0), ...op.drop, ...op.unreachable];
    const { exit, kernel } = await runPayload(pool, synthetic([exec], body), {
      override: (o) => (o === 67 ? { errno: 0, values: [] } : undefined),
    });
    expect(exit).toEqual(exited(0));
    expect(kernel.trace).toEqual(["EXEC"]);
  });
});
