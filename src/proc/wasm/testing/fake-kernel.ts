/**
 * A small in-memory kernel for the runner's tests: a flat map of files and directories, fds 0-2
 * wired to a stdin buffer and captured stdout/stderr, and just the syscalls the tested commands
 * make. The real kernel (src/kernel) replaces it in integration tests.
 */
import { AT_FDCWD, AT_ROOT, Errno, FileTypeCode, O, Sys } from "../../../kernel/abi.ts";
import {
  fail,
  ok,
  type SyscallArg,
  type SyscallHandler,
  type SyscallResult,
} from "../../../kernel/channel/index.ts";

interface Node {
  dir: boolean;
  data: Uint8Array;
  mode: number;
  ino: number;
}
type Stream = "stdin" | "stdout" | "stderr";
interface Fd {
  path: string;
  stream?: Stream;
  offset: number;
  flags: number;
  cloexec: boolean;
}

export interface FakeKernelOptions {
  /** Absolute path → file content; parent directories are created. A path ending in "/" is a directory. */
  files?: Record<string, string>;
  stdin?: string;
  /** Absolute path → permission bits, for files and directories of `files`. */
  modes?: Record<string, number>;
  /** Make fds 0-2 terminals instead of pipes. */
  tty?: boolean;
  cwd?: string;
  uid?: number;
  /** Answers a call before the fake does (return undefined to fall through): for injecting errors. */
  override?: (op: number, args: SyscallArg[]) => SyscallResult | undefined;
}

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(Sys).map(([k, v]) => [v, k]));

export class FakeKernel {
  readonly nodes = new Map<string, Node>();
  readonly fds = new Map<number, Fd>();
  readonly out: Record<Stream, Buffer[]> = { stdin: [], stdout: [], stderr: [] };
  /** Every syscall by name, in order. */
  readonly trace: string[] = [];
  /** Every successful WRITE as [fd, text], in order. */
  readonly writes: [number, string][] = [];
  private readonly override: FakeKernelOptions["override"];
  private readonly stdin: Buffer;
  private readonly tty: boolean;
  private readonly uid: number;
  private cwd: string;
  private nextIno = 1;

  constructor(options: FakeKernelOptions = {}) {
    this.stdin = Buffer.from(options.stdin ?? "");
    this.tty = options.tty ?? false;
    this.uid = options.uid ?? 1000;
    this.cwd = options.cwd ?? "/";
    this.override = options.override;
    this.mkdirs("/");
    for (const [path, content] of Object.entries(options.files ?? {})) {
      if (path.endsWith("/")) this.mkdirs(path.slice(0, -1) || "/");
      else {
        this.mkdirs(parent(path));
        this.nodes.set(path, { dir: false, data: Buffer.from(content), mode: 0o100644, ino: this.nextIno++ });
      }
    }
    for (const [path, bits] of Object.entries(options.modes ?? {})) {
      const node = this.nodes.get(path);
      if (node) node.mode = (node.mode & ~0o7777) | (bits & 0o7777);
    }
    (["stdin", "stdout", "stderr"] as const).forEach((stream, fd) => {
      this.fds.set(fd, { path: "", stream, offset: 0, flags: fd === 0 ? O.READ : O.WRITE, cloexec: false });
    });
  }

  get stdout(): string {
    return Buffer.concat(this.out.stdout).toString();
  }

  get stderr(): string {
    return Buffer.concat(this.out.stderr).toString();
  }

  readonly handler: SyscallHandler = (op, args) => {
    this.trace.push(NAMES[op] ?? String(op));
    const result = this.override?.(op, args) ?? this.handle(op, args);
    if (op === Sys.WRITE && result instanceof Object && "errno" in result && result.errno === 0) {
      this.writes.push([args[0] as number, Buffer.from(args[1] as Uint8Array).toString()]);
    }
    return result;
  };

  private mkdirs(path: string): void {
    let at = "";
    for (const part of path.split("/").filter(Boolean)) {
      at += `/${part}`;
      if (!this.nodes.has(at))
        this.nodes.set(at, { dir: true, data: new Uint8Array(), mode: 0o040755, ino: this.nextIno++ });
    }
    if (!this.nodes.has("/"))
      this.nodes.set("/", { dir: true, data: new Uint8Array(), mode: 0o040755, ino: this.nextIno++ });
  }

  private resolve(dirfd: number, path: string): string | number {
    let base = "/";
    if (!path.startsWith("/")) {
      if (dirfd === AT_FDCWD) base = this.cwd;
      else if (dirfd !== AT_ROOT) {
        const fd = this.fds.get(dirfd);
        if (fd === undefined) return Errno.BADF;
        if (!this.nodes.get(fd.path)?.dir) return Errno.NOTDIR;
        base = fd.path;
      }
    }
    const parts: string[] = [];
    for (const part of `${base}/${path}`.split("/")) {
      if (part === "..") parts.pop();
      else if (part !== "" && part !== ".") parts.push(part);
    }
    return `/${parts.join("/")}`;
  }

  private stat(node: Node | undefined, stream?: Stream): SyscallArg[] {
    if (stream !== undefined) {
      const mode = this.tty ? 0o020620 : 0o010600;
      return [
        this.tty ? FileTypeCode.CHARACTER_DEVICE : FileTypeCode.FIFO,
        mode,
        0,
        1,
        0,
        0,
        0,
        0,
        this.uid,
        this.uid,
        0,
        1,
      ];
    }
    const n = node!;
    const type = n.dir ? FileTypeCode.DIRECTORY : FileTypeCode.REGULAR_FILE;
    return [type, n.mode, n.ino, 1, n.data.byteLength, 1.7e12, 1.7e12, 1.7e12, this.uid, this.uid, 0, 1];
  }

  private newFd(fd: Fd): number {
    let n = 0;
    while (this.fds.has(n)) n++;
    this.fds.set(n, fd);
    return n;
  }

  private handle(op: number, a: SyscallArg[]): SyscallResult {
    const fd = typeof a[0] === "number" ? this.fds.get(a[0]) : undefined;
    const node = fd && !fd.stream ? this.nodes.get(fd.path) : undefined;
    switch (op) {
      case Sys.READ: {
        if (!fd) return fail(Errno.BADF);
        if (fd.stream === "stdin" || (node && !node.dir)) {
          const src = fd.stream === "stdin" ? this.stdin : node!.data;
          const bytes = src.slice(fd.offset, fd.offset + Number(a[1]));
          fd.offset += bytes.byteLength;
          return ok(bytes);
        }
        return fail(fd.stream ? Errno.BADF : Errno.ISDIR);
      }
      case Sys.WRITE: {
        const data = a[1] as Uint8Array;
        if (!fd || !(fd.flags & O.WRITE)) return fail(Errno.BADF);
        if (fd.stream) this.out[fd.stream].push(Buffer.from(data));
        else {
          const at = fd.flags & O.APPEND ? node!.data.byteLength : fd.offset;
          const grown = new Uint8Array(Math.max(node!.data.byteLength, at + data.byteLength));
          grown.set(node!.data);
          grown.set(data, at);
          node!.data = grown;
          fd.offset = at + data.byteLength;
        }
        return ok(data.byteLength);
      }
      case Sys.SEEK: {
        if (!fd) return fail(Errno.BADF);
        if (fd.stream) return fail(Errno.SPIPE);
        const base = [0, fd.offset, node!.data.byteLength][a[2] as number]!;
        fd.offset = base + Number(a[1]);
        return ok(fd.offset);
      }
      case Sys.CLOSE:
        return this.fds.delete(a[0] as number) ? ok() : fail(Errno.BADF);
      case Sys.FSTAT:
        return fd ? ok(...this.stat(node, fd.stream)) : fail(Errno.BADF);
      case Sys.FDSTAT:
        if (!fd) return fail(Errno.BADF);
        return ok(
          this.stat(node, fd.stream)[0]!,
          fd.flags & (O.APPEND | O.NONBLOCK),
          fd.flags & 3,
          fd.cloexec ? 1 : 0,
        );
      case Sys.FD_SET_FLAGS:
        if (!fd) return fail(Errno.BADF);
        fd.flags = (fd.flags & ~(O.APPEND | O.NONBLOCK)) | (a[1] as number);
        return ok();
      case Sys.ISATTY:
        return fd ? ok(fd.stream && this.tty ? 1 : 0) : fail(Errno.BADF);
      case Sys.READDIR: {
        if (!node?.dir) return fail(fd ? Errno.NOTDIR : Errno.BADF);
        const prefix = fd!.path === "/" ? "/" : `${fd!.path}/`;
        const names = [".", ".."].concat(
          [...this.nodes.keys()]
            .filter((p) => p !== "/" && p.startsWith(prefix) && !p.slice(prefix.length).includes("/"))
            .map((p) => p.slice(prefix.length))
            .sort(),
        );
        const chunks: Buffer[] = [];
        for (let i = Number(a[1]); i < names.length && i < Number(a[1]) + Number(a[2]); i++) {
          const name = Buffer.from(names[i]!);
          const child = this.nodes.get(i < 2 ? fd!.path : prefix + names[i])!;
          const head = Buffer.alloc(21);
          head.writeBigUInt64LE(BigInt(i + 1), 0);
          head.writeBigUInt64LE(BigInt(child.ino), 8);
          head[16] = child.dir ? FileTypeCode.DIRECTORY : FileTypeCode.REGULAR_FILE;
          head.writeUInt32LE(name.byteLength, 17);
          chunks.push(head, name);
        }
        return ok(Buffer.concat(chunks));
      }
      case Sys.OPEN: {
        const path = this.resolve(a[0] as number, a[1] as string);
        if (typeof path === "number") return fail(path);
        const flags = a[2] as number;
        let target = this.nodes.get(path);
        if (target && flags & O.CREATE && flags & O.EXCL) return fail(Errno.EXIST);
        if (!target) {
          if (!(flags & O.CREATE)) return fail(Errno.NOENT);
          if (!this.nodes.get(parent(path))?.dir) return fail(Errno.NOENT);
          target = {
            dir: false,
            data: new Uint8Array(),
            mode: 0o100000 | ((a[3] as number) & 0o7777),
            ino: this.nextIno++,
          };
          this.nodes.set(path, target);
        }
        if (flags & O.DIRECTORY && !target.dir) return fail(Errno.NOTDIR);
        if (target.dir && flags & O.WRITE) return fail(Errno.ISDIR);
        if (flags & O.TRUNC) target.data = new Uint8Array();
        return ok(this.newFd({ path, offset: 0, flags, cloexec: (flags & O.CLOEXEC) !== 0 }));
      }
      case Sys.STAT: {
        const path = this.resolve(a[0] as number, a[1] as string);
        if (typeof path === "number") return fail(path);
        const target = this.nodes.get(path);
        return target ? ok(...this.stat(target)) : fail(Errno.NOENT);
      }
      case Sys.CHMOD: {
        const path = this.resolve(a[0] as number, a[1] as string);
        if (typeof path === "number") return fail(path);
        const target = this.nodes.get(path);
        if (!target) return fail(Errno.NOENT);
        target.mode = (target.mode & ~0o7777) | ((a[2] as number) & 0o7777);
        return ok();
      }
      case Sys.SLEEP:
        return ok();
      case Sys.GETCWD:
        return ok(this.cwd);
      case Sys.GETIDS:
        return ok(this.uid, this.uid, this.uid, this.uid);
      case Sys.GETENT: {
        const users = [
          ["root", 0, "/root"],
          ["agent", this.uid, "/home/agent"],
        ] as const;
        const found = users.find(([name, id], i) =>
          a[1] === 0 ? id === a[2] : a[1] === 1 ? name === a[3] : i === a[2],
        );
        if (!found) return fail(Errno.NOENT);
        const [name, id, home] = found;
        return ok(a[0] === 0 ? `${name}:x:${id}:${id}:${name}:${home}:/bin/sh` : `${name}:x:${id}:`);
      }
      default:
        return fail(Errno.NOSYS);
    }
  }
}

function parent(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
