/**
 * The import object for one instantiation, built from what the module actually imports: each
 * function comes from its family (WASI preview1, host_fs, host_user, host_process, host_net,
 * host_tty); anything else gets a silent stub answering ENOSYS (or `-1n` where the import returns
 * i64, the host_fs "unknown" sentinel), so instantiation never fails on an import we lack.
 * Every import is wrapped so that a bad guest pointer answers EFAULT instead of throwing.
 */
import { Errno } from "../../kernel/abi.ts";
import { hostFsImports } from "./host/fs.ts";
import { hostNetImports } from "./host/net.ts";
import { hostProcessImports } from "./host/process.ts";
import { hostTtyImports } from "./host/tty.ts";
import { hostUserImports } from "./host/user.ts";
import { Fault } from "./memory.ts";
import type { ProcState } from "./state.ts";
import type { ImportSignature } from "./types.ts";
import { argsEnvImports } from "./wasi/args-env.ts";
import { clockRandomImports } from "./wasi/clock-random.ts";
import { fdImports } from "./wasi/fd.ts";
import { pathImports } from "./wasi/path.ts";
import { pollImports } from "./wasi/poll.ts";
import { procImports } from "./wasi/proc.ts";

// biome-ignore lint/suspicious/noExplicitAny: host functions take and return wasm values of any type
type HostFunction = (...args: any[]) => any;
type Family = Record<string, HostFunction>;

function families(p: ProcState): Record<string, () => Family> {
  return {
    wasi_snapshot_preview1: () => ({
      ...argsEnvImports(p),
      ...clockRandomImports(p),
      ...fdImports(p),
      ...pathImports(p),
      ...pollImports(p),
      ...procImports(p),
    }),
    host_fs: () => hostFsImports(p),
    host_user: () => hostUserImports(p),
    host_process: () => hostProcessImports(p),
    host_net: () => hostNetImports(),
    host_tty: () => hostTtyImports(p),
  };
}

/** Host functions whose result is i64 (the stub of an unknown one must return a bigint). */
const I64_RESULTS = new Set([
  "host_fs.path_size",
  "host_fs.fd_size",
  "host_fs.path_rdev",
  "host_fs.path_blocks",
  "host_fs.fd_blocks",
]);

/** What a bad guest pointer answers where the result is not an errno. */
const FAULT_RESULTS: Record<string, number> = {
  "host_fs.path_mode": 0,
  "host_fs.fd_mode": 0,
  "host_tty.read": -Errno.FAULT,
};

function guard(fn: HostFunction, onFault: number | bigint): HostFunction {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      if (error instanceof Fault) return onFault;
      throw error;
    }
  };
}

function stub(results: readonly string[] | undefined): HostFunction {
  const type = results?.[0];
  if (type === "i64") return () => -1n;
  if (results !== undefined && type === undefined) return () => undefined;
  return () => Errno.NOSYS;
}

export function buildImports(
  module: WebAssembly.Module,
  p: ProcState,
  signatures?: readonly ImportSignature[],
): WebAssembly.Imports {
  const makers = families(p);
  const made = new Map<string, Family>();
  const results = new Map(signatures?.map((s) => [`${s.module}.${s.name}`, s.results]));
  const imports: Record<string, Record<string, HostFunction>> = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== "function") continue;
    let family = made.get(from);
    if (family === undefined && makers[from]) {
      family = makers[from]();
      made.set(from, family);
    }
    const key = `${from}.${name}`;
    const fn = family && Object.hasOwn(family, name) ? family[name]! : stub(results.get(key));
    const i64 = I64_RESULTS.has(key) || results.get(key)?.[0] === "i64";
    imports[from] ??= {};
    imports[from][name] = guard(fn, i64 ? -1n : (FAULT_RESULTS[key] ?? Errno.FAULT));
  }
  return imports;
}
