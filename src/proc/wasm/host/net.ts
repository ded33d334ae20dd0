/**
 * `host_net`: no sockets yet. The 0.3.x libc probes `net_recv`/`net_send` before every read and
 * write, on every fd; EBADF ("not a socket") makes it fall back to `fd_read`/`fd_write`
 * (trap 2 of notes/wasm-commands.md). Answered locally: no syscall per probe.
 */
import { Errno } from "../../../kernel/abi.ts";

export function hostNetImports() {
  return {
    net_send: (): number => Errno.BADF,
    net_recv: (): number => Errno.BADF,
  };
}
