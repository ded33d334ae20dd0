/** `fs.Stats` and `fs.Dirent` look-alikes, built from the VFS's stat and directory entries. */

import {
  type FileType,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  typeBits,
  type VfsStat,
} from "../types.ts";
import { S_IFBLK } from "./constants.ts";

/** Same own fields as Node's `Stats` (in Node's order); the `Date` views are prototype getters. */
export class Stats {
  dev: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  blksize: number;
  ino: number;
  size: number;
  blocks: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;

  constructor(st: VfsStat) {
    this.dev = st.dev;
    this.mode = st.mode;
    this.nlink = st.nlink;
    this.uid = st.uid;
    this.gid = st.gid;
    this.rdev = st.rdev;
    this.blksize = st.blksize;
    this.ino = st.ino;
    this.size = st.size;
    this.blocks = st.blocks;
    this.atimeMs = st.atimeMs;
    this.mtimeMs = st.mtimeMs;
    this.ctimeMs = st.ctimeMs;
    this.birthtimeMs = st.birthtimeMs;
  }

  get atime(): Date {
    return new Date(this.atimeMs);
  }
  get mtime(): Date {
    return new Date(this.mtimeMs);
  }
  get ctime(): Date {
    return new Date(this.ctimeMs);
  }
  get birthtime(): Date {
    return new Date(this.birthtimeMs);
  }

  isFile(): boolean {
    return (this.mode & S_IFMT) === S_IFREG;
  }
  isDirectory(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }
  isSymbolicLink(): boolean {
    return (this.mode & S_IFMT) === S_IFLNK;
  }
  isCharacterDevice(): boolean {
    return (this.mode & S_IFMT) === S_IFCHR;
  }
  isBlockDevice(): boolean {
    return (this.mode & S_IFMT) === S_IFBLK;
  }
  isFIFO(): boolean {
    return (this.mode & S_IFMT) === S_IFIFO;
  }
  isSocket(): boolean {
    return (this.mode & S_IFMT) === S_IFSOCK;
  }
}

/** Own fields `name` and `parentPath`, as Node's; the type is private (Node keeps it under a symbol). */
export class Dirent {
  name: string;
  parentPath: string;
  readonly #type: number;

  constructor(name: string, type: FileType, parentPath: string) {
    this.name = name;
    this.parentPath = parentPath;
    this.#type = typeBits(type);
  }

  isFile(): boolean {
    return this.#type === S_IFREG;
  }
  isDirectory(): boolean {
    return this.#type === S_IFDIR;
  }
  isSymbolicLink(): boolean {
    return this.#type === S_IFLNK;
  }
  isCharacterDevice(): boolean {
    return this.#type === S_IFCHR;
  }
  isBlockDevice(): boolean {
    return false;
  }
  isFIFO(): boolean {
    return this.#type === S_IFIFO;
  }
  isSocket(): boolean {
    return this.#type === S_IFSOCK;
  }
}
