/**
 * `host_user`: terminal detection and identity. Records come from `Sys.GETENT` as
 * `name:x:uid:gid:gecos:home:shell` / `name:x:gid:members`, written without a NUL; a short buffer
 * gets ERANGE with the needed length in `*len` (the libc grows its buffer and asks again); an
 * error ends `getpwent`/`getgrent` enumeration.
 */
import { Errno, Sys } from "../../../kernel/abi.ts";
import type { ProcState } from "../state.ts";

const PASSWD = 0;
const GROUP = 1;
const BY_ID = 0;
const BY_NAME = 1;
const BY_INDEX = 2;

export function hostUserImports(p: ProcState) {
  const { mem, k } = p;

  function id(index: number, ptr: number): number {
    const [errno, ids] = p.identity();
    if (errno !== 0) return errno;
    mem.setU32(ptr, ids[index]!);
    return 0;
  }

  function entry(
    kind: number,
    key: number,
    n: number,
    name: string,
    buf: number,
    size: number,
    lenPtr: number,
  ) {
    const { errno, values } = k.call(Sys.GETENT, [kind, key, n >>> 0, name]);
    if (errno !== 0) return errno;
    const record = Buffer.from(String(values[0]), "utf8");
    mem.setU32(lenPtr, record.byteLength);
    if (record.byteLength > size >>> 0) return Errno.RANGE;
    mem.write(buf, record);
    return 0;
  }

  return {
    isatty(fd: number, ptr: number): number {
      const [errno, tty] = p.isatty(fd);
      if (errno !== 0) return errno;
      mem.setU32(ptr, tty ? 1 : 0);
      return 0;
    },
    getuid: (ptr: number) => id(0, ptr),
    geteuid: (ptr: number) => id(1, ptr),
    getgid: (ptr: number) => id(2, ptr),
    getegid: (ptr: number) => id(3, ptr),
    getpwuid: (uid: number, buf: number, size: number, len: number) =>
      entry(PASSWD, BY_ID, uid, "", buf, size, len),
    getpwnam: (name: number, nameLen: number, buf: number, size: number, len: number) =>
      entry(PASSWD, BY_NAME, 0, mem.string(name, nameLen), buf, size, len),
    getpwent: (index: number, buf: number, size: number, len: number) =>
      entry(PASSWD, BY_INDEX, index, "", buf, size, len),
    getgrgid: (gid: number, buf: number, size: number, len: number) =>
      entry(GROUP, BY_ID, gid, "", buf, size, len),
    getgrnam: (name: number, nameLen: number, buf: number, size: number, len: number) =>
      entry(GROUP, BY_NAME, 0, mem.string(name, nameLen), buf, size, len),
    getgrent: (index: number, buf: number, size: number, len: number) =>
      entry(GROUP, BY_INDEX, index, "", buf, size, len),
    /** Supplementary groups are not modelled: the list is the effective gid. */
    getgroups(size: number, groups: number, countPtr: number): number {
      const [errno, ids] = p.identity();
      if (errno !== 0) return errno;
      mem.setU32(countPtr, 1);
      if (size >>> 0 === 0) return 0;
      mem.setU32(groups, ids[3]!);
      return 0;
    },
    /** No kernel op changes identity yet: keeping the current id succeeds, anything else is ENOSYS. */
    setuid(uid: number): number {
      const [errno, ids] = p.identity();
      return errno !== 0 ? errno : uid >>> 0 === ids[0] ? 0 : Errno.NOSYS;
    },
    setgid(gid: number): number {
      const [errno, ids] = p.identity();
      return errno !== 0 ? errno : gid >>> 0 === ids[2] ? 0 : Errno.NOSYS;
    },
    setgroups(count: number): number {
      return count === 0 ? 0 : Errno.NOSYS;
    },
  };
}
