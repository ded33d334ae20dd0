/** Terminal syscalls: the shell's line editor reads a pty with a deadline and switches raw mode. */

import { Errno } from "../abi.ts";
import { kerr } from "../errors.ts";
import type { Process } from "../process.ts";
import { type Pty, PtySlave } from "../pty.ts";
import { type Handler, num } from "./common.ts";

/** Most bytes one TTY_READ returns (the shim keeps the surplus for its next read). */
const TTY_READ_MAX = 4096;

function ptyOf(p: Process, fd: number): Pty {
  const desc = p.fds.desc(fd);
  if (!(desc instanceof PtySlave)) throw kerr(Errno.NOTTY);
  return desc.pty;
}

/** (fd, timeoutMs (-1 = none)) → [bytes]: what is available, at least 1 byte; empty on timeout or EOF. */
export const ttyRead: Handler = async (_k, p, args) => {
  const pty = ptyOf(p, num(args, 0));
  const data = await pty.readTimeout(TTY_READ_MAX, num(args, 1), p.signal);
  p.usage.bytesRead += data.length;
  return [data];
};

/** (fd, raw 0|1) → [] */
export const ttySetRaw: Handler = (_k, p, args) => {
  ptyOf(p, num(args, 0)).setRaw(num(args, 1) !== 0);
};

/** (fd) → [cols, rows] */
export const ttySize: Handler = (_k, p, args) => {
  const pty = ptyOf(p, num(args, 0));
  return [pty.cols, pty.rows];
};
