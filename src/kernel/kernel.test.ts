import { describe, expect, it } from "vitest";
import { buildBaseImage, Vfs } from "../fs/index.ts";
import { Errno, SIG, Sys } from "./abi.ts";
import { PipeEnd } from "./descriptions.ts";
import { Kernel } from "./kernel.ts";
import { Pipe } from "./pipe.ts";
import { type HostCommand, hostCommandMarker } from "./programs.ts";

const USER = { uid: 1000, gid: 1000 };
const enc = new TextEncoder();

async function boot(commands: Record<string, HostCommand>) {
  const base = await buildBaseImage();
  const vfs = new Vfs(base);
  for (const name of Object.keys(commands)) {
    await vfs.writeFile(`/usr/local/bin/${name}`, hostCommandMarker(name), { mode: 0o755 });
  }
  const kernel = new Kernel({
    vfs,
    sources: { commands: new Map(), hostCommands: new Map(Object.entries(commands)) },
    wasmRunner: {
      start() {
        throw new Error("no wasm in kernel unit tests");
      },
    },
    hostname: "test",
  });
  return { kernel, vfs };
}

function stdio(kernel: Kernel, pipes: { in?: Pipe; out?: Pipe }) {
  const fds = kernel.newFdTable();
  if (pipes.in) fds.set(0, new PipeEnd(pipes.in, "read"));
  if (pipes.out) fds.set(1, new PipeEnd(pipes.out, "write"));
  return fds;
}

const env = ["PATH=/usr/local/bin:/bin"];

describe("Kernel with host commands", () => {
  it("runs two processes concurrently over a bounded pipe", async () => {
    const total = 1 << 20;
    const { kernel } = await boot({
      produce: async (ctx) => {
        for (let i = 0; i < total / 4096; i++) await ctx.stdout.write(new Uint8Array(4096).fill(65));
        return 0;
      },
      count: async (ctx) => {
        let n = 0;
        for (;;) {
          const c = await ctx.read();
          if (c.length === 0) break;
          n += c.length;
        }
        await ctx.stdout.write(`${n}\n`);
        return 0;
      },
    });
    const mid = new Pipe();
    const out = new Pipe();
    const reader = new PipeEnd(out, "read");
    // Both ends exist before either process runs, as when a shell creates a pipeline.
    const aFds = stdio(kernel, { out: mid });
    const bFds = stdio(kernel, { in: mid, out: out });
    const a = await kernel.spawn({
      file: "produce",
      argv: ["produce"],
      env,
      cwd: "/",
      cred: USER,
      fds: aFds,
    });
    const b = await kernel.spawn({ file: "count", argv: ["count"], env, cwd: "/", cred: USER, fds: bFds });
    // The pipe never holds more than its capacity while the producer runs ahead.
    expect(mid.size).toBeLessThanOrEqual(mid.capacity);
    expect((await a.whenExited()).exitCode).toBe(0);
    expect((await b.whenExited()).exitCode).toBe(0);
    const text = new TextDecoder().decode(await reader.read(100, { signal: new AbortController().signal }));
    expect(text).toBe(`${total}\n`);
  });

  it("kills a writer with SIGPIPE when its reader exits early (yes | head)", async () => {
    const { kernel } = await boot({
      yes: async (ctx) => {
        for (;;) await ctx.stdout.write("y\n");
      },
      first: async (ctx) => {
        await ctx.read(2);
        return 0;
      },
    });
    const mid = new Pipe();
    const aFds = stdio(kernel, { out: mid });
    const bFds = stdio(kernel, { in: mid });
    const a = await kernel.spawn({ file: "yes", argv: ["yes"], env, cwd: "/", cred: USER, fds: aFds });
    const b = await kernel.spawn({ file: "first", argv: ["first"], env, cwd: "/", cred: USER, fds: bFds });
    expect(await b.whenExited()).toEqual({ exitCode: 0, signal: null });
    expect(await a.whenExited()).toEqual({ exitCode: 128 + SIG.PIPE, signal: SIG.PIPE });
    expect(kernel.liveCount).toBe(0);
  });

  it("kills a blocked process and reports 128 + signal", async () => {
    const { kernel } = await boot({ wait: (ctx) => ctx.read().then(() => 0) });
    const p = await kernel.spawn({
      file: "wait",
      argv: ["wait"],
      env,
      cwd: "/",
      cred: USER,
      fds: stdio(kernel, { in: new Pipe() }),
    });
    kernel.kill(kernel.init, p.pid, SIG.TERM);
    expect(await p.whenExited()).toEqual({ exitCode: 143, signal: SIG.TERM });
  });

  it("spawns and waits through syscalls with posix_spawn fd semantics", async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => {
      release = r;
    });
    const { kernel } = await boot({
      parent: () => hold.then(() => 0),
      child: async (ctx) => {
        await ctx.stdout.write(`child ${ctx.argv.slice(1).join(" ")} in ${ctx.cwd}\n`);
        return 3;
      },
    });
    const parent = await kernel.spawn({
      file: "parent",
      argv: ["parent"],
      env,
      cwd: "/tmp",
      cred: USER,
      fds: kernel.newFdTable(),
    });
    const pipe = await kernel.syscall(parent, Sys.PIPE, []);
    const [r, w] = pipe.values as number[];
    await kernel.syscall(parent, Sys.SET_CLOEXEC, [w!, 1]);
    // dup2 of a CLOEXEC fd onto 1 must survive the exec-time close (posix_spawn order).
    const action = new Uint8Array(24);
    const dv = new DataView(action.buffer);
    dv.setUint32(0, 2, true);
    dv.setInt32(4, 1, true);
    dv.setInt32(8, w!, true);
    const spawned = await kernel.syscall(parent, Sys.SPAWN, [
      "child",
      enc.encode("child\0a\0b\0"),
      enc.encode("PATH=/usr/local/bin\0"),
      "",
      action,
      -1,
    ]);
    expect(spawned.errno).toBe(0);
    const pid = spawned.values[0] as number;
    await kernel.syscall(parent, Sys.CLOSE, [w!]);
    const got = await kernel.syscall(parent, Sys.READ, [r!, 100]);
    expect(new TextDecoder().decode(got.values[0] as Uint8Array)).toBe("child a b in /tmp\n");
    const waited = await kernel.syscall(parent, Sys.WAITPID, [-1, 0]);
    expect(waited.values).toEqual([pid, 3, 0]);
    expect((await kernel.syscall(parent, Sys.WAITPID, [-1, 1])).errno).toBe(Errno.CHILD);
    release();
  });

  it("resolves PATH, permissions and shebang interpreters like execve", async () => {
    const { kernel, vfs } = await boot({
      interp: async (ctx) => (await ctx.stdout.write(ctx.argv.join("|")), 0),
    });
    const fds = () => stdio(kernel, { out: new Pipe() });
    await expect(
      kernel.spawn({ file: "nope", argv: ["nope"], env, cwd: "/", cred: USER, fds: fds() }),
    ).rejects.toMatchObject({ errno: Errno.NOENT });
    await vfs.writeFile("/tmp/noexec", "#!/usr/local/bin/interp\n", { mode: 0o644 });
    await expect(
      kernel.spawn({ file: "/tmp/noexec", argv: ["x"], env, cwd: "/", cred: USER, fds: fds() }),
    ).rejects.toMatchObject({ errno: Errno.ACCES });
    await vfs.writeFile("/tmp/script", "#!/usr/local/bin/interp -x\nbody\n", { mode: 0o755 });
    const out = new Pipe();
    const reader = new PipeEnd(out, "read");
    const p = await kernel.spawn({
      file: "/tmp/script",
      argv: ["script", "arg"],
      env,
      cwd: "/",
      cred: USER,
      fds: stdio(kernel, { out }),
    });
    await p.whenExited();
    const text = new TextDecoder().decode(await reader.read(200, { signal: new AbortController().signal }));
    expect(text).toBe("/usr/local/bin/interp|-x|/tmp/script|arg");
  });
});
