/**
 * The callback API (`fs.readFile(path, cb)`), which isomorphic-git and older code use. Path
 * functions wrap their promise twins; the fd functions (`open`, `read`, `write`, `close`…) work on
 * the same fd table as `FileHandle`s. Callbacks run on a later tick, outside the promise chain, so
 * an exception thrown by one is an uncaught exception, as with Node.
 */

import type { FdTable, PathLike } from "./context.ts";
import { invalidArgType, toNodeError } from "./errors.ts";
import { FileHandle, type ReadOptions } from "./file-handle.ts";
import type { NodeFsPromises } from "./promises.ts";
import type { Stats } from "./stats.ts";

type ErrorCallback = (err: Error | null) => void;
type ResultCallback<R> = (err: Error | null, result: R) => void;
// biome-ignore lint/suspicious/noConfusingVoidType: matching `Promise<void>` is the point.
type Callback<R> = [R] extends [void] ? ErrorCallback : ResultCallback<R>;

/** Every argument list `Full` accepts, optional arguments left off: `[a, b?]` gives `[a] | [a, b]`. */
type Prefixes<Full extends unknown[], Rest extends unknown[] = Required<Full>, Acc extends unknown[] = []> =
  | (Acc extends Full ? Acc : never)
  | (Rest extends [infer Head, ...infer Tail] ? Prefixes<Full, Tail, [...Acc, Head]> : never);

/** `(a, b?) => Promise<R>` as `(a, cb) | (a, b, cb) => void`. */
export type Callbackified<F> = F extends (...args: infer A) => Promise<infer R>
  ? (
      ...args: Prefixes<A> extends infer P ? (P extends unknown[] ? [...P, Callback<R>] : never) : never
    ) => void
  : never;

function takeCallback(args: unknown[]): (...results: unknown[]) => void {
  const cb = args.pop();
  if (typeof cb !== "function") throw invalidArgType("cb", "of type function", cb);
  return cb as (...results: unknown[]) => void;
}

function settle(work: Promise<unknown[]>, cb: (...results: unknown[]) => void): void {
  work.then(
    (results) => process.nextTick(cb, null, ...results),
    (err) => process.nextTick(cb, err),
  );
}

function callbackify<F extends (...args: never[]) => Promise<unknown>>(fn: F): Callbackified<F> {
  return ((...args: unknown[]) => {
    const cb = takeCallback(args);
    // Promise-valued functions may still throw synchronously on bad arguments; report via cb.
    const work = Promise.resolve().then(() =>
      (fn as unknown as (...a: unknown[]) => Promise<unknown>)(...args),
    );
    settle(
      work.then((r) => (r === undefined ? [] : [r])),
      cb,
    );
  }) as Callbackified<F>;
}

export function createCallbackApi(promises: NodeFsPromises, fds: FdTable) {
  const handle = (fd: number) => new FileHandle(fds, fd);
  const p = promises;
  return {
    access: callbackify(p.access),
    appendFile: callbackify(p.appendFile),
    chmod: callbackify(p.chmod),
    chown: callbackify(p.chown),
    copyFile: callbackify(p.copyFile),
    lchown: callbackify(p.lchown),
    link: callbackify(p.link),
    lstat: callbackify(p.lstat),
    lutimes: callbackify(p.lutimes),
    mkdir: callbackify(p.mkdir),
    mkdtemp: callbackify(p.mkdtemp),
    readdir: callbackify(p.readdir),
    readFile: callbackify(p.readFile),
    readlink: callbackify(p.readlink),
    realpath: callbackify(p.realpath),
    rename: callbackify(p.rename),
    rm: callbackify(p.rm),
    rmdir: callbackify(p.rmdir),
    stat: callbackify(p.stat),
    symlink: callbackify(p.symlink),
    truncate: callbackify(p.truncate),
    unlink: callbackify(p.unlink),
    utimes: callbackify(p.utimes),
    writeFile: callbackify(p.writeFile),

    /** Deprecated in Node but still common: `cb(exists)`, never an error. */
    exists(path: PathLike, cb: (exists: boolean) => void): void {
      p.access(path).then(
        () => process.nextTick(cb, true),
        () => process.nextTick(cb, false),
      );
    },

    /** `open(path, flags?, mode?, cb)`: `cb(err, fd)`. */
    open(
      path: PathLike,
      ...rest: [...args: Array<string | number | null | undefined>, cb: ResultCallback<number>]
    ): void {
      const args: unknown[] = rest;
      const cb = takeCallback(args);
      settle(
        Promise.resolve().then(async () => {
          const h = await p.open(path, args[0] as string | number | undefined, args[1] as number | undefined);
          return [h.fd];
        }),
        cb,
      );
    },

    close(fd: number, cb: ErrorCallback = () => {}): void {
      settle(
        Promise.resolve().then(() => {
          try {
            fds.close(fd);
          } catch (err) {
            throw toNodeError(err);
          }
          return [];
        }),
        cb as (...r: unknown[]) => void,
      );
    },

    /** `read(fd, buffer, offset, length, position, cb)` or `read(fd, [buffer,] options, cb)`: `cb(err, bytesRead, buffer)`. */
    read(
      fd: number,
      ...rest: [
        ...args: Array<ArrayBufferView | ReadOptions | number | bigint | null | undefined>,
        cb: (err: Error | null, bytesRead: number, buffer: ArrayBufferView) => void,
      ]
    ): void {
      const args: unknown[] = rest;
      const cb = takeCallback(args);
      settle(
        Promise.resolve()
          .then(() => handle(fd).read(...(args as Parameters<FileHandle["read"]>)))
          .then((r) => [r.bytesRead, r.buffer]),
        cb,
      );
    },

    /** `write(fd, buffer, offset?, length?, position?, cb)` or `write(fd, string, position?, encoding?, cb)`: `cb(err, written, buffer)`. */
    write(
      fd: number,
      data: ArrayBufferView | string,
      ...rest: [
        ...args: Array<number | string | null | undefined>,
        cb: (err: Error | null, written: number, buffer: ArrayBufferView | string) => void,
      ]
    ): void {
      const args: unknown[] = rest;
      const cb = takeCallback(args);
      settle(
        Promise.resolve()
          .then(() => handle(fd).write(data, ...(args as [number | null | undefined])))
          .then((r) => [r.bytesWritten, r.buffer]),
        cb,
      );
    },

    fstat(
      fd: number,
      ...rest: [options: object, cb: ResultCallback<Stats>] | [cb: ResultCallback<Stats>]
    ): void {
      const cb = takeCallback(rest);
      settle(
        handle(fd)
          .stat()
          .then((st) => [st]),
        cb,
      );
    },

    ftruncate(fd: number, ...rest: [len: number, cb: ErrorCallback] | [cb: ErrorCallback]): void {
      const args: unknown[] = rest;
      const cb = takeCallback(args);
      settle(
        handle(fd)
          .truncate((args[0] as number | undefined) ?? 0)
          .then(() => []),
        cb,
      );
    },

    fsync(fd: number, cb: ErrorCallback): void {
      settle(
        handle(fd)
          .sync()
          .then(() => []),
        cb as (...r: unknown[]) => void,
      );
    },

    fdatasync(fd: number, cb: ErrorCallback): void {
      settle(
        handle(fd)
          .datasync()
          .then(() => []),
        cb as (...r: unknown[]) => void,
      );
    },
  };
}

export type NodeFsCallbackApi = ReturnType<typeof createCallbackApi>;
