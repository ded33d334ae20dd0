/**
 * A kernel that runs builtin programs without the VM's integration: `/usr/local/bin/<name>` holds
 * `#!agentos builtin:<name>`, backed by a fake command record, and a small ProgramRunner adapter
 * turns such "wasm" programs into `{ kind: "builtin" }` ones for createBuiltinRunner. (Once
 * programs.ts understands `#!agentos-builtin <name>`, the adapter is no longer needed.)
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildBaseImage, Vfs } from "../../src/fs/index.ts";
import { PipeEnd } from "../../src/kernel/descriptions.ts";
import { Kernel, type ProgramRunner } from "../../src/kernel/kernel.ts";
import { Pipe } from "../../src/kernel/pipe.ts";
import type { Process } from "../../src/kernel/process.ts";
import { BUILTIN_NAMES, createBuiltinRunner } from "../../src/proc/builtins/index.ts";
import { WorkerPool } from "../../src/proc/pool/index.ts";
import { type CommandRecord, loadCommandSet } from "../../src/proc/software/index.ts";
import { createWasmRunner } from "../../src/proc/wasm-process.ts";

export const USER = { uid: 1000, gid: 1000 };
const PREFIX = "builtin:";

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export interface RunOptions {
  cwd?: string;
  stdin?: string | Uint8Array;
  env?: string[];
}

/** A file tree: path → content; a `{ symlink }` value makes a symbolic link. */
export type Tree = Record<string, string | Uint8Array | { symlink: string }>;

export interface BuiltinVm {
  kernel: Kernel;
  vfs: Vfs;
  pool: WorkerPool;
  /** Spawn `argv` (resolved through PATH) with piped stdio; resolves when it exits and its output is drained. */
  run(argv: string[], options?: RunOptions): Promise<RunResult>;
  /** Spawn with stdio pipes and return the process at once (for kill tests). */
  spawn(argv: string[], options?: RunOptions): Promise<{ proc: Process; result: Promise<RunResult> }>;
  /** `a | b | c`: stdin empty, stderr of all discarded; stdout of the last and every exit code. */
  pipeline(argvs: string[][], options?: RunOptions): Promise<{ stdout: Buffer; codes: number[] }>;
  writeTree(root: string, tree: Tree): Promise<void>;
  dispose(): Promise<void>;
}

/** `withWasm`: also install the command set (cat, wc… and the WASM grep at /bin/grep). */
export async function bootBuiltinVm(options: { withWasm?: boolean } = {}): Promise<BuiltinVm> {
  const set = options.withWasm ? loadCommandSet() : new Map<string, CommandRecord>();
  const base = await buildBaseImage({ commands: [...set.keys()] });
  const vfs = new Vfs(base);
  const commands = new Map<string, CommandRecord>(set);
  for (const name of BUILTIN_NAMES) {
    await vfs.writeFile(`/usr/local/bin/${name}`, `#!agentos ${PREFIX}${name}\n`, { mode: 0o755 });
    commands.set(`${PREFIX}${name}`, {
      name,
      hash: "",
      bytes: new Uint8Array(0),
      abi: "wasi-only",
      package: "builtin",
      stub: false,
    });
  }
  const pool = new WorkerPool({ spares: 2 });
  const builtins = createBuiltinRunner(pool, options.withWasm ? createWasmRunner(pool) : null);
  const adapter: ProgramRunner = {
    start(kernel, proc, program) {
      if (program.kind === "wasm" && program.name.startsWith(PREFIX)) {
        const builtin = { kind: "builtin", name: program.name.slice(PREFIX.length), argv: program.argv };
        return builtins.start(kernel, proc, builtin as never);
      }
      return builtins.start(kernel, proc, program);
    },
  };
  const kernel = new Kernel({
    vfs,
    sources: { commands, hostCommands: new Map() },
    wasmRunner: adapter,
    hostname: "test",
  });
  await vfs.mkdir("/work", { mode: 0o777 });

  const drain = async (pipe: Pipe): Promise<Buffer> => {
    const parts: Uint8Array[] = [];
    const signal = new AbortController().signal;
    for (;;) {
      const chunk = await pipe.read(1 << 20, false, signal);
      if (chunk.byteLength === 0) break;
      parts.push(chunk);
    }
    return Buffer.concat(parts);
  };

  const spawn = async (argv: string[], o: RunOptions = {}) => {
    const fds = kernel.newFdTable();
    const input = typeof o.stdin === "string" ? Buffer.from(o.stdin) : (o.stdin ?? new Uint8Array(0));
    const inPipe = new Pipe(Math.max(64 * 1024, input.byteLength + 1));
    fds.set(0, new PipeEnd(inPipe, "read"));
    const writer = new PipeEnd(inPipe, "write");
    if (input.byteLength > 0) await inPipe.write(input, false, new AbortController().signal);
    writer.release();
    const out = new Pipe();
    const err = new Pipe();
    fds.set(1, new PipeEnd(out, "write"));
    fds.set(2, new PipeEnd(err, "write"));
    const outReader = new PipeEnd(out, "read");
    const errReader = new PipeEnd(err, "read");
    const proc = await kernel.spawn({
      file: argv[0]!,
      argv,
      env: o.env ?? ["PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C"],
      cwd: o.cwd ?? "/work",
      cred: USER,
      fds,
    });
    const result = (async () => {
      const [stdout, stderr, status] = await Promise.all([drain(out), drain(err), proc.whenExited()]);
      outReader.release();
      errReader.release();
      return { stdout, stderr: stderr.toString("utf8"), code: status.exitCode };
    })();
    return { proc, result };
  };

  return {
    kernel,
    vfs,
    pool,
    spawn,
    async run(argv, o) {
      return (await spawn(argv, o)).result;
    },
    async pipeline(argvs, o = {}) {
      const procs: Process[] = [];
      let input: Pipe | null = null;
      const out = new Pipe();
      const outReader = new PipeEnd(out, "read");
      for (let i = 0; i < argvs.length; i++) {
        const fds = kernel.newFdTable();
        const next = i === argvs.length - 1 ? out : new Pipe();
        const reader = i === argvs.length - 1 ? null : new PipeEnd(next, "read");
        if (input) fds.set(0, new PipeEnd(input, "read"));
        fds.set(1, new PipeEnd(next, "write"));
        const argv = argvs[i]!;
        procs.push(
          await kernel.spawn({
            file: argv[0]!,
            argv,
            env: o.env ?? ["PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C"],
            cwd: o.cwd ?? "/work",
            cred: USER,
            fds,
          }),
        );
        // The next process holds its own read end: drop ours.
        if (reader) setImmediate(() => reader.release());
        input = next;
      }
      const [stdout, statuses] = await Promise.all([
        drain(out),
        Promise.all(procs.map((p) => p.whenExited())),
      ]);
      outReader.release();
      return { stdout, codes: statuses.map((st) => st.exitCode) };
    },
    async writeTree(root, tree) {
      for (const [path, content] of Object.entries(tree)) {
        const abs = `${root}/${path}`;
        await vfs.mkdir(abs.slice(0, abs.lastIndexOf("/")), { recursive: true, mode: 0o755 });
        if (typeof content === "object" && "symlink" in content) await vfs.symlink(content.symlink, abs);
        else await vfs.writeFile(abs, content, { mode: 0o644 });
      }
    },
    async dispose() {
      kernel.dispose();
      await pool.shutdown();
    },
  };
}

/** The same tree on the host filesystem. */
export function writeHostTree(root: string, tree: Tree): void {
  for (const [path, content] of Object.entries(tree)) {
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof content === "object" && "symlink" in content) symlinkSync(content.symlink, abs);
    else writeFileSync(abs, content);
  }
}
