/** WASI preview1: the `fd_*` family. */
import { AT_ROOT, Errno, FileTypeCode, O, Sys, type SysName } from "../../../kernel/abi.ts";
import type { SyscallArg } from "../../../kernel/channel/index.ts";
import type { GuestMemory } from "../memory.ts";
import { big, msToNs, num, type ProcState } from "../state.ts";
import { DIRENT_SIZE, WASI_FDFLAGS, WASI_FSTFLAGS, WASI_PREOPENTYPE_DIR, WASI_RIGHTS } from "./constants.ts";

/** Most bytes one `fd_read` asks the kernel for (a 1 MiB read still fits one channel chunk). */
const MAX_READ = 1 << 20;

/** Kernel file type → WASI filetype (WASI has no FIFO: pipes are UNKNOWN, S_IFIFO comes from host_fs). */
export function wasiFiletype(type: unknown): number {
  const t = num(type);
  return t === FileTypeCode.FIFO || t < 0 || t > 7 ? FileTypeCode.UNKNOWN : t;
}

/** Writes a kernel stat result (see `Sys` in abi.ts) as a WASI `filestat` (64 bytes). */
export function writeFilestat(mem: GuestMemory, ptr: number, v: SyscallArg[]): void {
  const p = mem.check(ptr, 64);
  const dv = mem.view;
  dv.setBigUint64(p, BigInt.asUintN(64, big(v[11])), true); // dev
  dv.setBigUint64(p + 8, BigInt.asUintN(64, big(v[2])), true); // ino
  dv.setBigUint64(p + 16, BigInt(wasiFiletype(v[0])), true); // filetype u8 + padding
  dv.setBigUint64(p + 24, BigInt.asUintN(64, big(v[3])), true); // nlink
  dv.setBigUint64(p + 32, BigInt.asUintN(64, big(v[4])), true); // size
  dv.setBigUint64(p + 40, msToNs(v[5]), true);
  dv.setBigUint64(p + 48, msToNs(v[6]), true);
  dv.setBigUint64(p + 56, msToNs(v[7]), true);
}

/** WASI fst_flags + two timestamps → the kernel's (ms | -1 now | -2 omit) pair. */
export function timesArgs(atim: bigint, mtim: bigint, flags: number): [number, number] {
  const pick = (ns: bigint, set: number, now: number) =>
    flags & now ? -1 : flags & set ? Number(ns) / 1e6 : -2;
  return [
    pick(atim, WASI_FSTFLAGS.ATIM, WASI_FSTFLAGS.ATIM_NOW),
    pick(mtim, WASI_FSTFLAGS.MTIM, WASI_FSTFLAGS.MTIM_NOW),
  ];
}

/** A 64-bit offset or cookie as a channel value (a number when exact). */
export function offsetArg(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function fdImports(p: ProcState) {
  const { mem, k } = p;
  /** For fd calls: the v3 preopen and other hidden fds are not kernel fds. */
  const hidden = (fd: number) => p.isTagged(fd);
  const simple = (op: SysName, args: SyscallArg[]) => k.call(Sys[op], args).errno;

  function scatter(iovs: number, iovsLen: number, data: Uint8Array): void {
    let at = 0;
    for (const [ptr, len] of mem.iovecs(iovs, iovsLen)) {
      if (at >= data.byteLength) break;
      at += mem.write(ptr, data.subarray(at), len);
    }
  }

  function gather(iovs: number, iovsLen: number): [Uint8Array[], number] {
    const bytes = mem.bytes;
    const parts: Uint8Array[] = [];
    let total = 0;
    for (const [ptr, len] of mem.iovecs(iovs, iovsLen)) {
      if (len === 0) continue;
      const at = mem.check(ptr, len);
      parts.push(bytes.subarray(at, at + len));
      total += len;
    }
    return [parts, total];
  }

  function readTotal(iovs: number, iovsLen: number): number {
    let total = 0;
    for (const [, len] of mem.iovecs(iovs, iovsLen)) total += len;
    return Math.min(total, MAX_READ);
  }

  function read(op: number, args: SyscallArg[], iovs: number, iovsLen: number, nread: number): number {
    const { errno, values } = k.call(op, args);
    if (errno !== 0) return errno;
    const data = values[0] as Uint8Array;
    scatter(iovs, iovsLen, data);
    mem.setU32(nread, data.byteLength);
    return 0;
  }

  return {
    fd_read(fd: number, iovs: number, iovsLen: number, nread: number): number {
      if (hidden(fd)) return fd === p.preopen ? Errno.ISDIR : Errno.BADF;
      return read(Sys.READ, [fd, readTotal(iovs, iovsLen)], iovs, iovsLen, nread);
    },
    fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, nread: number): number {
      if (hidden(fd)) return Errno.BADF;
      return read(Sys.PREAD, [fd, readTotal(iovs, iovsLen), offsetArg(offset)], iovs, iovsLen, nread);
    },
    fd_write(fd: number, iovs: number, iovsLen: number, nwritten: number): number {
      if (hidden(fd)) return Errno.BADF;
      const [parts, total] = gather(iovs, iovsLen);
      if (fd === 2 && total <= 512) p.noteStderr(parts);
      const [errno, n] = k.out.write(fd, parts, total);
      if (errno !== 0) return errno;
      mem.setU32(nwritten, n);
      return 0;
    },
    fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, nwritten: number): number {
      if (hidden(fd)) return Errno.BADF;
      const [parts, total] = gather(iovs, iovsLen);
      const data = new Uint8Array(total);
      let at = 0;
      for (const part of parts) {
        data.set(part, at);
        at += part.byteLength;
      }
      const { errno, values } = k.call(Sys.PWRITE, [fd, data, offsetArg(offset)]);
      if (errno !== 0) return errno;
      mem.setU32(nwritten, num(values[0]));
      return 0;
    },
    fd_seek(fd: number, offset: bigint, whence: number, newOffset: number): number {
      if (hidden(fd)) return Errno.BADF;
      const { errno, values } = k.call(Sys.SEEK, [fd, offsetArg(offset), whence]);
      if (errno !== 0) return errno;
      mem.setU64(newOffset, big(values[0]));
      return 0;
    },
    fd_tell(fd: number, offsetPtr: number): number {
      if (hidden(fd)) return Errno.BADF;
      const { errno, values } = k.call(Sys.SEEK, [fd, 0, 1]);
      if (errno !== 0) return errno;
      mem.setU64(offsetPtr, big(values[0]));
      return 0;
    },
    fd_close(fd: number): number {
      if (hidden(fd)) return fd === p.preopen ? 0 : Errno.BADF;
      const errno = simple("CLOSE", [fd]);
      p.forget(fd);
      return errno;
    },
    fd_renumber(from: number, to: number): number {
      if (hidden(from) || hidden(to)) return Errno.BADF;
      const errno = simple("DUP2", [from, to]);
      p.forget(to);
      if (errno !== 0 || from === to) return errno;
      p.forget(from);
      return simple("CLOSE", [from]);
    },
    fd_fdstat_get(fd: number, ptr: number): number {
      let type: number = FileTypeCode.DIRECTORY;
      let flags = 0;
      let base = WASI_RIGHTS.ALL;
      if (hidden(fd)) {
        if (fd !== p.preopen) return Errno.BADF;
      } else {
        const [errno, values] = p.fdstat(fd);
        if (errno !== 0) return errno;
        const [kind, fdflags, access] = values as [number, number, number];
        const tty = kind === FileTypeCode.CHARACTER_DEVICE && p.isatty(fd)[1];
        type = wasiFiletype(kind);
        if (fdflags & O.APPEND) flags |= WASI_FDFLAGS.APPEND;
        if (fdflags & O.NONBLOCK) flags |= WASI_FDFLAGS.NONBLOCK;
        if (!(access & O.READ)) base &= ~(WASI_RIGHTS.FD_READ | WASI_RIGHTS.FD_READDIR);
        if (!(access & O.WRITE)) base &= ~WASI_RIGHTS.FD_WRITE;
        // wasi-libc's isatty(): a character device without seek/tell rights is a terminal.
        const unseekable = kind === FileTypeCode.FIFO || tty;
        if (unseekable) base &= ~(WASI_RIGHTS.FD_SEEK | WASI_RIGHTS.FD_TELL);
      }
      const at = mem.check(ptr, 24);
      const dv = mem.view;
      dv.setUint32(at, type, true); // filetype u8, padding, then fs_flags u16 at +2
      dv.setUint16(at + 2, flags, true);
      dv.setUint32(at + 4, 0, true);
      dv.setBigUint64(at + 8, base, true);
      dv.setBigUint64(at + 16, WASI_RIGHTS.ALL, true);
      return 0;
    },
    fd_fdstat_set_flags(fd: number, flags: number): number {
      if (hidden(fd)) return Errno.BADF;
      const oflags =
        (flags & WASI_FDFLAGS.APPEND ? O.APPEND : 0) | (flags & WASI_FDFLAGS.NONBLOCK ? O.NONBLOCK : 0);
      p.forget(fd);
      return simple("FD_SET_FLAGS", [fd, oflags]);
    },
    fd_fdstat_set_rights(): number {
      return 0;
    },
    fd_filestat_get(fd: number, ptr: number): number {
      if (hidden(fd) && fd !== p.preopen) return Errno.BADF;
      const { errno, values } =
        fd === p.preopen && hidden(fd) ? k.call(Sys.STAT, [AT_ROOT, "/", 1]) : k.call(Sys.FSTAT, [fd]);
      if (errno !== 0) return errno;
      writeFilestat(mem, ptr, values);
      return 0;
    },
    fd_filestat_set_size(fd: number, size: bigint): number {
      return hidden(fd) ? Errno.BADF : simple("FTRUNCATE", [fd, offsetArg(size)]);
    },
    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): number {
      return hidden(fd) ? Errno.BADF : simple("FUTIMES", [fd, ...timesArgs(atim, mtim, flags)]);
    },
    fd_sync(fd: number): number {
      return hidden(fd) ? 0 : simple("FSYNC", [fd]);
    },
    fd_datasync(fd: number): number {
      return hidden(fd) ? 0 : simple("FSYNC", [fd]);
    },
    fd_advise(): number {
      return 0;
    },
    fd_allocate(): number {
      return Errno.NOTSUP;
    },
    fd_prestat_get(fd: number, ptr: number): number {
      if (fd !== p.preopen) return Errno.BADF;
      if (p.abi !== "v3") p.parkRoot();
      const at = mem.check(ptr, 8);
      mem.view.setUint32(at, WASI_PREOPENTYPE_DIR, true);
      mem.view.setUint32(at + 4, 1, true); // name length of "/"
      return 0;
    },
    fd_prestat_dir_name(fd: number, ptr: number, len: number): number {
      if (fd !== p.preopen) return Errno.BADF;
      mem.write(ptr, SLASH, len);
      return 0;
    },
    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, bufused: number): number {
      if (hidden(fd)) return Errno.BADF;
      const size = bufLen >>> 0;
      const out = mem.check(buf, size);
      // Enough entries to fill the buffer (each takes more than DIRENT_SIZE bytes) or reach the end:
      // fewer bytes than the buffer holds means "end of directory" to the libc.
      const maxEntries = Math.ceil(size / DIRENT_SIZE) + 1;
      const { errno, values } = k.call(Sys.READDIR, [fd, offsetArg(cookie), maxEntries]);
      if (errno !== 0) return errno;
      const src = values[0] as Uint8Array;
      const sv = new DataView(src.buffer, src.byteOffset, src.byteLength);
      const record = new Uint8Array(DIRENT_SIZE + 256);
      const rv = new DataView(record.buffer);
      const bytes = mem.bytes;
      let used = 0;
      for (let at = 0; at + 21 <= src.byteLength && used < size; ) {
        const nameLen = sv.getUint32(at + 17, true);
        const name = src.subarray(at + 21, at + 21 + nameLen);
        const rec =
          record.byteLength >= DIRENT_SIZE + nameLen ? record : new Uint8Array(DIRENT_SIZE + nameLen);
        const dv = rec === record ? rv : new DataView(rec.buffer);
        dv.setBigUint64(0, sv.getBigUint64(at, true), true); // d_next
        dv.setBigUint64(8, sv.getBigUint64(at + 8, true), true); // d_ino
        dv.setUint32(16, nameLen, true);
        dv.setUint32(20, wasiFiletype(src[at + 16]), true); // d_type u8 + padding
        rec.set(name, DIRENT_SIZE);
        // The last entry may be cut short (the spec allows it): the libc then retries from its cookie.
        const n = Math.min(DIRENT_SIZE + nameLen, size - used);
        bytes.set(rec.subarray(0, n), out + used);
        used += n;
        at += 21 + nameLen;
      }
      mem.setU32(bufused, used);
      return 0;
    },
  };
}

const SLASH = new Uint8Array([0x2f]);
