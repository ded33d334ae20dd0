/**
 * A VM whose kernel runs `node` with the QuickJS runner and every other command with the WASM
 * runner, as the lead will wire it into AgentOS. Tests drive it through the same ProcessManager
 * the public API uses (exec = `sh -c`, spawn with stdin pipes).
 */
import { EventEmitter } from "node:events";
import { buildBaseImage, Vfs, VM_USER } from "../../src/fs/index.ts";
import { PipeEnd } from "../../src/kernel/descriptions.ts";
import { Kernel, type ProgramRunner } from "../../src/kernel/kernel.ts";
import { Pipe } from "../../src/kernel/pipe.ts";
import { type ExecOptions, type ExecResult, ProcessManager } from "../../src/proc/host-processes.ts";
import { createQuickjsRunner, type QuickjsRunnerOptions } from "../../src/proc/quickjs/index.ts";
import { type CommandRecord, loadCommandSet } from "../../src/proc/software/index.ts";
import { createWasmRunner } from "../../src/proc/wasm-process.ts";

const NODE_RECORD: CommandRecord = {
  name: "node",
  hash: "agentos-node-quickjs",
  bytes: new Uint8Array(0),
  abi: "wasi-only",
  package: "agentos-vm",
  stub: false,
};

let base: ReturnType<typeof buildBaseImage> | undefined;

export interface NodeVm {
  kernel: Kernel;
  fs: Vfs;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Run `node ...args` directly (no shell). */
  node(args: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Spawn `node ...args` straight from the kernel (no shell); stdout and stderr share one pipe. */
  run(args: string[], cwd?: string): Promise<{ output: string; exitCode: number }>;
  write(path: string, content: string | Uint8Array, mode?: number): Promise<void>;
  read(path: string): Promise<string>;
  dispose(): void;
}

export async function createNodeVm(options: QuickjsRunnerOptions = {}): Promise<NodeVm> {
  base ??= buildBaseImage({ commands: [...loadCommandSet().keys(), "node"] });
  const layer = await base;
  const fs = new Vfs(layer, { mountOwner: { uid: VM_USER.uid, gid: VM_USER.gid } });
  const wasm = createWasmRunner();
  const quickjs = createQuickjsRunner(undefined, options);
  const runner: ProgramRunner = {
    start(kernel, proc, program) {
      return program.name === "node"
        ? quickjs.start(kernel, proc, program)
        : wasm.start(kernel, proc, program);
    },
  };
  const kernel = new Kernel({
    vfs: fs,
    sources: { commands: new Map([...loadCommandSet(), ["node", NODE_RECORD]]), hostCommands: new Map() },
    wasmRunner: runner,
    hostname: "agentos",
  });
  const env = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: VM_USER.home,
    USER: VM_USER.name,
    LANG: "C.UTF-8",
    TERM: "dumb",
  };
  const pm = new ProcessManager(kernel, new EventEmitter(), () => env);
  const cred = { uid: VM_USER.uid, gid: VM_USER.gid, privileged: true };
  const write = async (path: string, content: string | Uint8Array, mode = 0o644) => {
    const dir = path.slice(0, path.lastIndexOf("/")) || "/";
    await fs.mkdir(dir, { recursive: true, mode: 0o755 }, cred);
    await fs.writeFile(path, content, { mode }, cred);
    await fs.chown(path, VM_USER.uid, VM_USER.gid, cred);
  };
  return {
    kernel,
    fs,
    exec: (command, o) => pm.exec(command, { cwd: "/workspace", ...o }),
    node: (args, o) =>
      pm.exec(["node", ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" "), {
        cwd: "/workspace",
        ...o,
      }),
    async run(args, cwd = "/workspace") {
      const out = new Pipe();
      const fds = kernel.newFdTable();
      fds.set(1, new PipeEnd(out, "write"));
      fds.set(2, new PipeEnd(out, "write"));
      const proc = await kernel.spawn({
        file: "node",
        argv: ["node", ...args],
        env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        cwd,
        cred: { uid: VM_USER.uid, gid: VM_USER.gid },
        fds,
      });
      const reader = new PipeEnd(out, "read");
      const chunks: Uint8Array[] = [];
      const io = { signal: new AbortController().signal };
      for (;;) {
        const d = await reader.read(65536, io);
        if (d.length === 0) break;
        chunks.push(d);
      }
      reader.release();
      const status = await proc.whenExited();
      return { output: Buffer.concat(chunks).toString(), exitCode: status.exitCode };
    },
    write,
    read: async (path) => new TextDecoder().decode(await fs.readFile(path, cred)),
    dispose: () => kernel.dispose(),
  };
}
