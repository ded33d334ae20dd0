/**
 * The process's link to the kernel: every syscall goes through {@link KernelLink.call}, which first
 * flushes combined output (see output.ts), so the kernel sees this process's effects in program order.
 */
import type { SyscallArg, SyscallClient, SyscallResult } from "../../kernel/channel/index.ts";
import { OutputCombiner } from "./output.ts";

export class KernelLink {
  readonly client: SyscallClient;
  readonly out: OutputCombiner;
  /** Syscalls made, output flushes included (for measurement). */
  calls = 0;

  constructor(client: SyscallClient, combinable: (fd: number) => boolean) {
    this.client = client;
    this.out = new OutputCombiner(client, combinable);
  }

  /** Run before every syscall (the memory-limit check); throws to leave guest code. */
  beforeCall: (() => void) | null = null;

  call(op: number, args: readonly SyscallArg[] = []): SyscallResult {
    this.beforeCall?.();
    if (this.out.pending) this.out.flush();
    this.calls++;
    return this.client.call(op, args);
  }
}
