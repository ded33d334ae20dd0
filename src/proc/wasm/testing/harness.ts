/**
 * Runs import families in-process against a {@link FakeKernel}: the kernel handler is called
 * synchronously instead of over a channel, and guest memory is a fresh WebAssembly.Memory.
 */
import type { SyscallClient, SyscallResult } from "../../../kernel/channel/index.ts";
import { hostFsImports } from "../host/fs.ts";
import { hostNetImports } from "../host/net.ts";
import { hostProcessImports } from "../host/process.ts";
import { hostUserImports } from "../host/user.ts";
import { ProcState } from "../state.ts";
import type { WasmAbi, WasmJobPayload } from "../types.ts";
import { fdImports } from "../wasi/fd.ts";
import { pathImports } from "../wasi/path.ts";
import { pollImports } from "../wasi/poll.ts";
import { FakeKernel, type FakeKernelOptions } from "./fake-kernel.ts";

export function harness(
  abi: WasmAbi,
  options: FakeKernelOptions & { env?: string[]; payload?: Partial<WasmJobPayload> } = {},
) {
  const kernel = new FakeKernel(options);
  const client = { call: (op: number, args: never[]) => kernel.handler(op, args) as SyscallResult };
  const p = new ProcState(
    {
      module: undefined as never,
      abi,
      argv: ["t"],
      env: options.env ?? ["PWD=/"],
      pid: 7,
      ...options.payload,
    },
    client as unknown as SyscallClient,
  );
  const memory = new WebAssembly.Memory({ initial: 4 });
  p.mem.attach(memory);
  const fns = {
    ...fdImports(p),
    ...pathImports(p),
    ...pollImports(p),
    ...hostFsImports(p),
    ...hostUserImports(p),
    ...hostProcessImports(p),
    ...hostNetImports(),
  } as Record<string, (...args: never[]) => number | bigint>;
  /** Calls an import by name with numeric arguments. */
  const call = (name: string, ...args: (number | bigint)[]) =>
    (fns[name] as (...a: (number | bigint)[]) => number | bigint)(...args);
  /** Puts a string in guest memory at `at`; returns [ptr, len]. */
  const put = (at: number, s: string): [number, number] => {
    const bytes = Buffer.from(s);
    new Uint8Array(memory.buffer).set(bytes, at);
    return [at, bytes.byteLength];
  };
  const u32 = (at: number) => new DataView(memory.buffer).getUint32(at, true);
  const bytes = (at: number, len: number) => Buffer.from(new Uint8Array(memory.buffer, at, len));
  return { kernel, p, memory, call, put, u32, bytes };
}
