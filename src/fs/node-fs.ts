/**
 * A Node-`fs`-compatible facade over the VM's filesystem, for code written against `node:fs`
 * (isomorphic-git, build tools, user scripts): `promises` shaped like `node:fs/promises`, the
 * callback API, and `constants`. It is a plain object, so it plugs into anything that takes an
 * `fs` argument:
 *
 * ```ts
 * const fs = vm.nodeFs({ cwd: "/home/agentos" });
 * await fs.promises.writeFile("notes.txt", "hi\n");
 * await git.init({ fs, dir: "/repo" });
 * ```
 *
 * Errors are Node's: `code`, negative `errno`, `syscall`, and `path`/`dest` as the caller spelled
 * them. The pieces live in `node-fs/`; this module assembles them.
 */

import { createCallbackApi, type NodeFsCallbackApi } from "./node-fs/callback.ts";
import { constants } from "./node-fs/constants.ts";
import { FdTable, type NodeFsContext } from "./node-fs/context.ts";
import { createPromises, type NodeFsPromises } from "./node-fs/promises.ts";
import type { Credentials, Vfs } from "./vfs.ts";

export type { Callbackified, NodeFsCallbackApi } from "./node-fs/callback.ts";
export type { PathLike } from "./node-fs/context.ts";
export { NodeFsError } from "./node-fs/errors.ts";
export type { FileHandle, ReadOptions, ReadResult, WriteResult } from "./node-fs/file-handle.ts";
export type {
  MkdirOptions,
  NodeFsPromises,
  ReaddirOptions,
  ReadFileOptions,
  RmOptions,
  WriteFileOptions,
} from "./node-fs/promises.ts";
export { Dirent, Stats } from "./node-fs/stats.ts";

export interface NodeFsOptions {
  /** Absolute VM directory that relative paths resolve against. Default "/". */
  cwd?: string;
  /** Who performs every operation (permission checks, owner of new files). Default: root. */
  cred?: Credentials;
  /** Cleared from the permission bits of created files and directories. Default 0o022, like a shell's. */
  umask?: number;
}

export type NodeFsFacade = NodeFsCallbackApi & {
  /** Enumerable, so isomorphic-git picks the promise API. */
  promises: NodeFsPromises;
  constants: NodeFsPromises["constants"];
};

export function createNodeFs(vfs: Vfs, options: NodeFsOptions = {}): NodeFsFacade {
  const cwd = options.cwd ?? "/";
  if (!cwd.startsWith("/"))
    throw new TypeError(`createNodeFs: cwd must be an absolute VM path, got '${cwd}'`);
  const ctx: NodeFsContext = {
    vfs,
    cwd: cwd.length > 1 ? cwd.replace(/\/+$/, "") : cwd,
    cred: options.cred,
    umask: options.umask ?? 0o022,
    fds: new FdTable(),
  };
  const promises = createPromises(ctx);
  return { ...createCallbackApi(promises, ctx.fds), promises, constants };
}
