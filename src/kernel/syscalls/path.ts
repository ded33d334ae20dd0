/** Path syscalls: open, stat, mkdir, unlink, rename, links, permissions, cwd. */

import { Errno, O } from "../abi.ts";
import { FileDescription } from "../descriptions.ts";
import { kerr } from "../errors.ts";
import { absPath, encodeStat, type Handler, num, selfFdPath, str } from "./common.ts";

export const open: Handler = async (k, p, args) => {
  const path = absPath(p, num(args, 0), str(args, 1));
  const oflags = num(args, 2);
  const mode = num(args, 3) & ~p.umask & 0o7777;
  const cloexec = (oflags & O.CLOEXEC) !== 0;
  const self = selfFdPath(path);
  if (self >= 0) return [p.fds.add(p.fds.desc(self).retain(), cloexec)];
  const file = await k.vfs.open(
    path,
    {
      read: (oflags & O.READ) !== 0,
      write: (oflags & O.WRITE) !== 0,
      append: (oflags & O.APPEND) !== 0,
      create: (oflags & O.CREATE) !== 0,
      exclusive: (oflags & O.EXCL) !== 0,
      truncate: (oflags & O.TRUNC) !== 0,
      directory: (oflags & O.DIRECTORY) !== 0,
      noFollow: (oflags & O.NOFOLLOW) !== 0,
    },
    mode,
    p.cred,
  );
  const access = oflags & (O.READ | O.WRITE) || O.READ;
  return [p.fds.add(new FileDescription(file, access, oflags & (O.APPEND | O.NONBLOCK)), cloexec)];
};

export const stat: Handler = async (k, p, args) => {
  const path = absPath(p, num(args, 0), str(args, 1));
  const self = selfFdPath(path);
  if (self >= 0) return encodeStat(await p.fds.desc(self).stat());
  const st = num(args, 2) ? await k.vfs.stat(path, p.cred) : await k.vfs.lstat(path, p.cred);
  return encodeStat(st);
};

export const mkdir: Handler = async (k, p, args) => {
  await k.vfs.mkdir(
    absPath(p, num(args, 0), str(args, 1)),
    { mode: num(args, 2) & ~p.umask & 0o7777 },
    p.cred,
  );
};

export const rmdir: Handler = async (k, p, args) => {
  await k.vfs.rmdir(absPath(p, num(args, 0), str(args, 1)), p.cred);
};

export const unlink: Handler = async (k, p, args) => {
  await k.vfs.unlink(absPath(p, num(args, 0), str(args, 1)), p.cred);
};

export const rename: Handler = async (k, p, args) => {
  await k.vfs.rename(absPath(p, num(args, 0), str(args, 1)), absPath(p, num(args, 2), str(args, 3)), p.cred);
};

export const link: Handler = async (k, p, args) => {
  let from = absPath(p, num(args, 0), str(args, 1));
  if (num(args, 4)) from = await k.vfs.realpath(from, p.cred);
  await k.vfs.link(from, absPath(p, num(args, 2), str(args, 3)), p.cred);
};

export const symlink: Handler = async (k, p, args) => {
  await k.vfs.symlink(str(args, 0), absPath(p, num(args, 1), str(args, 2)), p.cred);
};

export const readlink: Handler = async (k, p, args) => [
  await k.vfs.readlink(absPath(p, num(args, 0), str(args, 1)), p.cred),
];

export const chmod: Handler = async (k, p, args) => {
  await k.vfs.chmod(absPath(p, num(args, 0), str(args, 1)), num(args, 2), p.cred, num(args, 3) !== 0);
};

export const chown: Handler = async (k, p, args) => {
  const path = absPath(p, num(args, 0), str(args, 1));
  await k.vfs.chown(path, num(args, 2), num(args, 3), p.cred, num(args, 4) !== 0);
};

export const utimes: Handler = async (k, p, args) => {
  const now = Date.now();
  const t = (v: number) => (v === -1 ? now : v === -2 ? undefined : v);
  const path = absPath(p, num(args, 0), str(args, 1));
  await k.vfs.utimes(path, t(num(args, 2)), t(num(args, 3)), p.cred, num(args, 4) !== 0);
};

export const access: Handler = async (k, p, args) => {
  await k.vfs.access(absPath(p, num(args, 0), str(args, 1)), num(args, 2) & 7, p.cred);
};

export const chdir: Handler = async (k, p, args) => {
  const path = absPath(p, -100, str(args, 0));
  const real = await k.vfs.realpath(path, p.cred);
  const st = await k.vfs.stat(real, p.cred);
  if (st.type !== "directory") throw kerr(Errno.NOTDIR);
  await k.vfs.access(real, 1, p.cred);
  p.cwd = real;
};

export const getcwd: Handler = (_k, p) => [p.cwd];

export const realpath: Handler = async (k, p, args) => [
  await k.vfs.realpath(absPath(p, num(args, 0), str(args, 1)), p.cred),
];

export const statfs: Handler = (k) => {
  const usage = k.vfs.inodes.usage;
  const totalBytes = k.vfs.limits.maxBytes ?? 8 * 2 ** 30;
  const totalInodes = k.vfs.limits.maxInodes ?? 1_000_000;
  return [
    totalBytes,
    Math.max(0, totalBytes - usage.bytes),
    totalInodes,
    Math.max(0, totalInodes - usage.inodes),
  ];
};
