/** File-descriptor syscalls: read, write, seek, close, dup, pipe, fstat, readdir… */

import { Errno, FileTypeCode, O, SIG } from "../abi.ts";
import { FileDescription, filetypeOf, PipeEnd } from "../descriptions.ts";
import { KernelError, kerr } from "../errors.ts";
import { Pipe } from "../pipe.ts";
import { bytes, encodeStat, type Handler, num } from "./common.ts";

const MAX_IO = 16 << 20;

export const read: Handler = async (_k, p, args) => {
  const desc = p.fds.desc(num(args, 0));
  const max = Math.min(Math.max(0, num(args, 1)), MAX_IO);
  const data = await desc.read(max, p);
  p.usage.bytesRead += data.length;
  return [data];
};

export const write: Handler = async (k, p, args) => {
  const desc = p.fds.desc(num(args, 0));
  const data = bytes(args, 1);
  try {
    const n = await desc.write(data, p);
    p.usage.bytesWritten += n;
    return [n];
  } catch (err) {
    // Writing to a pipe nobody reads raises SIGPIPE (default: terminate), as well as EPIPE.
    if (err instanceof KernelError && err.errno === Errno.PIPE) k.signal(p, SIG.PIPE);
    throw err;
  }
};

export const pread: Handler = async (_k, p, args) => {
  const data = await p.fds.desc(num(args, 0)).pread(Math.min(num(args, 1), MAX_IO), num(args, 2));
  p.usage.bytesRead += data.length;
  return [data];
};

export const pwrite: Handler = async (_k, p, args) => {
  const n = await p.fds.desc(num(args, 0)).pwrite(bytes(args, 1), num(args, 2));
  p.usage.bytesWritten += n;
  return [n];
};

export const seek: Handler = async (_k, p, args) => {
  const whence = num(args, 2);
  if (whence !== 0 && whence !== 1 && whence !== 2) throw kerr(Errno.INVAL);
  return [await p.fds.desc(num(args, 0)).seek(num(args, 1), whence)];
};

export const close: Handler = (_k, p, args) => {
  p.fds.close(num(args, 0));
};

export const fstat: Handler = async (_k, p, args) => encodeStat(await p.fds.desc(num(args, 0)).stat());

export const fdstat: Handler = (_k, p, args) => {
  const e = p.fds.get(num(args, 0));
  return [e.desc.filetype, e.desc.flags & (O.APPEND | O.NONBLOCK), e.desc.access, e.cloexec ? 1 : 0];
};

export const fdSetFlags: Handler = (_k, p, args) => {
  const desc = p.fds.desc(num(args, 0));
  const flags = num(args, 1) & (O.APPEND | O.NONBLOCK);
  desc.flags = flags;
  if (desc instanceof FileDescription) desc.file.flags.append = (flags & O.APPEND) !== 0;
};

export const ftruncate: Handler = async (_k, p, args) => {
  const desc = p.fds.desc(num(args, 0));
  if (!(desc instanceof FileDescription)) throw kerr(Errno.INVAL);
  await desc.file.truncate(num(args, 1));
};

export const futimes: Handler = async (k, p, args) => {
  const desc = p.fds.desc(num(args, 0));
  if (!(desc instanceof FileDescription)) throw kerr(Errno.BADF);
  const now = Date.now();
  const t = (v: number) => (v === -1 ? now : v === -2 ? undefined : v);
  await k.vfs.utimes(desc.path, t(num(args, 1)), t(num(args, 2)), p.cred);
};

export const readdir: Handler = async (_k, p, args) => {
  const desc = p.fds.desc(num(args, 0));
  if (!(desc instanceof FileDescription) || desc.file.type !== "directory") throw kerr(Errno.NOTDIR);
  const cookie = num(args, 1);
  const max = Math.max(1, num(args, 2));
  const out: Array<{ next: number; ino: number; type: number; name: string }> = [];
  const self = await desc.stat();
  if (cookie < 1) out.push({ next: 1, ino: self.ino, type: FileTypeCode.DIRECTORY, name: "." });
  if (cookie < 2) out.push({ next: 2, ino: self.ino, type: FileTypeCode.DIRECTORY, name: ".." });
  if (out.length < max) {
    for (const e of await desc.file.readdir(Math.max(0, cookie - 2))) {
      out.push({ next: e.cookie + 2, ino: e.ino, type: filetypeOf(e.type), name: e.name });
      if (out.length >= max) break;
    }
  }
  return [encodeDirents(out)];
};

function encodeDirents(
  entries: Array<{ next: number; ino: number; type: number; name: string }>,
): Uint8Array {
  const names = entries.map((e) => Buffer.from(e.name, "utf8"));
  let size = 0;
  for (const n of names) size += 21 + n.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  entries.forEach((e, i) => {
    const name = names[i]!;
    view.setBigUint64(at, BigInt(e.next), true);
    view.setBigUint64(at + 8, BigInt(e.ino), true);
    view.setUint8(at + 16, e.type);
    view.setUint32(at + 17, name.length, true);
    out.set(name, at + 21);
    at += 21 + name.length;
  });
  return out;
}

export const isatty: Handler = (_k, p, args) => [p.fds.desc(num(args, 0)).isTty ? 1 : 0];

export const dup: Handler = (_k, p, args) => [p.fds.dup(num(args, 0))];

export const dup2: Handler = (_k, p, args) => {
  p.fds.dup2(num(args, 0), num(args, 1));
};

export const setCloexec: Handler = (_k, p, args) => {
  p.fds.get(num(args, 0)).cloexec = num(args, 1) !== 0;
};

export const pipe: Handler = (k, p) => {
  const pipe = new Pipe(k.pipeBytesFor(p));
  const r = p.fds.add(new PipeEnd(pipe, "read"));
  try {
    const w = p.fds.add(new PipeEnd(pipe, "write"));
    return [r, w];
  } catch (err) {
    p.fds.close(r);
    throw err;
  }
};

export const fsync: Handler = (_k, p, args) => {
  p.fds.get(num(args, 0));
};

export const fdPath: Handler = (_k, p, args) => {
  const path = p.fds.desc(num(args, 0)).path;
  if (path === undefined) throw kerr(Errno.BADF);
  return [path];
};
