/**
 * Runs a host command (a JS function) as a process: it gets argv, env, cwd and its stdio fds as
 * async streams, and its return value is the exit code. It runs on the host thread, so it must not
 * block; killing it aborts its `signal` and stops its I/O.
 */

import { Errno, SIG } from "./abi.ts";
import { KernelError } from "./errors.ts";
import type { Kernel } from "./kernel.ts";
import type { Process } from "./process.ts";
import type { HostCommand, HostCommandContext } from "./programs.ts";

const encoder = new TextEncoder();

export function runHostCommand(
  kernel: Kernel,
  proc: Process,
  fn: HostCommand,
  argv: string[],
): { done: Promise<number | "terminated">; terminate(): void } {
  const abort = new AbortController();
  const io = { signal: abort.signal };
  const writer = (fd: number) => ({
    async write(data: string | Uint8Array): Promise<void> {
      if (!proc.alive) return;
      const bytes = typeof data === "string" ? encoder.encode(data) : data;
      const desc = proc.fds.desc(fd);
      let off = 0;
      try {
        while (off < bytes.length) off += await desc.write(bytes.subarray(off), io);
      } catch (err) {
        // As for any process: writing to a pipe without readers raises SIGPIPE.
        if (err instanceof KernelError && err.errno === Errno.PIPE) kernel.signal(proc, SIG.PIPE);
        throw err;
      }
      proc.usage.bytesWritten += bytes.length;
    },
  });
  const read = async (max = 65536): Promise<Uint8Array> => {
    if (!proc.alive || !proc.fds.has(0)) return new Uint8Array(0);
    const chunk = await proc.fds.desc(0).read(max, io);
    proc.usage.bytesRead += chunk.length;
    return chunk;
  };
  const env: Record<string, string> = {};
  for (const e of proc.env) {
    const i = e.indexOf("=");
    if (i > 0) env[e.slice(0, i)] = e.slice(i + 1);
  }
  const ctx: HostCommandContext = {
    argv,
    env,
    cwd: proc.cwd,
    pid: proc.pid,
    read,
    async readAll() {
      const chunks: Uint8Array[] = [];
      for (;;) {
        const c = await read();
        if (c.length === 0) break;
        chunks.push(c);
      }
      return Buffer.concat(chunks);
    },
    stdout: writer(1),
    stderr: writer(2),
    signal: abort.signal,
  };
  const done = (async (): Promise<number | "terminated"> => {
    try {
      const code = await fn(ctx);
      return typeof code === "number" ? code : 0;
    } catch (err) {
      if (abort.signal.aborted) return "terminated";
      const message = err instanceof Error ? err.message : String(err);
      try {
        await ctx.stderr.write(`${argv[0] ?? "command"}: ${message}\n`);
      } catch {
        // stderr may be gone (closed pipe); the exit code still reports the failure.
      }
      return 1;
    }
  })();
  return { done, terminate: () => abort.abort() };
}
