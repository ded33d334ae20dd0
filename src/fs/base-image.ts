/**
 * The base image: the root filesystem every VM of this host process starts from, built once and
 * shared read-only. Its timestamps are fixed so its content, and therefore its id, is the same in
 * every process: a snapshot taken in one process names it and restores in another.
 */

import { createHash } from "node:crypto";
import { encodeLayers } from "./layer-codec.ts";
import { Layer, type LayeredInodes, ROOT_INO } from "./layers.ts";
import { S_IFCHR, S_IFDIR } from "./types.ts";
import { type Credentials, DEV, Vfs } from "./vfs.ts";

/** 2026-01-01T00:00:00Z: the mtime of everything in the base image. */
export const BASE_EPOCH = Date.UTC(2026, 0, 1);

export const VM_USER = { name: "agentos", uid: 1000, gid: 1000, home: "/home/agentos", shell: "/bin/bash" };
export const HOSTNAME = "agentos";

export interface BaseImageOptions {
  /** Command names to place in /bin (executable entries the kernel maps to programs). */
  commands?: readonly string[];
  /** Builtin program names (src/proc/builtins) to place in /bin; they take precedence over commands. */
  builtins?: readonly string[];
  /** Extra files (absolute path → content), e.g. from command packages. */
  files?: Readonly<Record<string, string | Uint8Array>>;
}

const ROOT_CRED: Credentials = { uid: 0, gid: 0, privileged: true };

/** A frozen layer holding only the root directory: the bottom of every chain. */
export function emptyRootLayer(): Layer {
  const layer = new Layer(null, "empty-root");
  layer.records.set(ROOT_INO, {
    kind: "dir",
    mode: S_IFDIR | 0o755,
    uid: 0,
    gid: 0,
    nlink: 2,
    atimeMs: BASE_EPOCH,
    mtimeMs: BASE_EPOCH,
    ctimeMs: BASE_EPOCH,
    birthtimeMs: BASE_EPOCH,
    entries: new Map(),
    opaque: true,
    parent: ROOT_INO,
  });
  layer.usage = { bytes: 0, inodes: 1 };
  layer.frozen = true;
  return layer;
}

const PASSWD = `root:x:0:0:root:/root:/bin/bash
${VM_USER.name}:x:${VM_USER.uid}:${VM_USER.gid}:agentOS user:${VM_USER.home}:${VM_USER.shell}
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`;
const GROUP = `root:x:0:
${VM_USER.name}:x:${VM_USER.gid}:
nogroup:x:65534:
`;
const OS_RELEASE = `NAME="agentOS"
ID=agentos
PRETTY_NAME="agentOS (agentos-vm)"
VERSION_ID="1"
HOME_URL="https://www.npmjs.com/package/agentos-vm"
`;

/** Build the base image: the standard tree, devices, identity files and /bin entries. */
export async function buildBaseImage(options: BaseImageOptions = {}): Promise<Layer> {
  const vfs = new Vfs(emptyRootLayer(), { clock: () => BASE_EPOCH });
  const dir = async (path: string, mode: number, uid = 0, gid = 0) => {
    await vfs.mkdir(path, { mode }, ROOT_CRED);
    if (uid || gid) await vfs.chown(path, uid, gid, ROOT_CRED);
  };
  const file = async (path: string, content: string | Uint8Array, mode = 0o644) => {
    await vfs.writeFile(path, content, { mode }, ROOT_CRED);
  };
  for (const d of ["/bin", "/etc", "/home", "/usr", "/usr/bin", "/usr/local", "/usr/local/bin", "/usr/lib"]) {
    await dir(d, 0o755);
  }
  for (const d of ["/var", "/var/log", "/var/lib", "/opt", "/mnt", "/proc", "/dev", "/sys"])
    await dir(d, 0o755);
  await dir("/root", 0o700);
  await dir("/tmp", 0o1777);
  await dir("/var/tmp", 0o1777);
  await dir(VM_USER.home, 0o755, VM_USER.uid, VM_USER.gid);
  await dir("/workspace", 0o755, VM_USER.uid, VM_USER.gid);
  await file("/etc/passwd", PASSWD);
  await file("/etc/group", GROUP);
  await file("/etc/hostname", `${HOSTNAME}\n`);
  await file("/etc/hosts", `127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.1.1\t${HOSTNAME}\n`);
  await file("/etc/os-release", OS_RELEASE);
  await file("/etc/shells", "/bin/sh\n/bin/bash\n");
  // df and mount read the mount table; the root filesystem is the VM's own.
  await file("/proc/mounts", "agentosfs / agentosfs rw 0 0\n", 0o444);
  await vfs.symlink("/proc/mounts", "/etc/mtab", ROOT_CRED);
  await file("/etc/profile", 'export PATH="/usr/local/bin:/usr/bin:/bin"\n');
  addDevices(vfs);
  await vfs.symlink("/proc/self/fd", "/dev/fd", ROOT_CRED);
  for (const [name, fd] of [
    ["stdin", 0],
    ["stdout", 1],
    ["stderr", 2],
  ] as const) {
    await vfs.symlink(`/proc/self/fd/${fd}`, `/dev/${name}`, ROOT_CRED);
  }
  const builtins = new Set(options.builtins ?? []);
  for (const name of new Set([...(options.commands ?? []), ...builtins])) {
    const marker = builtins.has(name) ? `#!agentos-builtin ${name}\n` : `#!agentos ${name}\n`;
    await file(`/bin/${name}`, marker, 0o755);
    // Scripts name interpreters as /usr/bin/env, /usr/bin/awk…: the same programs, as on merged-/usr systems.
    await vfs.symlink(`/bin/${name}`, `/usr/bin/${name}`, ROOT_CRED);
  }
  for (const [path, content] of Object.entries(options.files ?? {})) {
    await vfs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true, mode: 0o755 }, ROOT_CRED);
    await file(path, content, 0o755);
  }
  const layer = vfs.freeze();
  const id = `base-${contentId(vfs.inodes)}`;
  const base = new Layer(layer.parent, id);
  for (const [ino, rec] of layer.records) base.records.set(ino, rec);
  base.nextIno = layer.nextIno;
  base.nextSeq = layer.nextSeq;
  base.usage = { ...layer.usage };
  base.frozen = true;
  return base;
}

function addDevices(vfs: Vfs): void {
  const devIno = vfs.inodes.lookup(ROOT_INO, "dev")!;
  for (const [name, rdev] of Object.entries(DEV)) {
    const ino = vfs.inodes.allocIno();
    vfs.inodes.insert(ino, {
      kind: "chardev",
      rdev,
      mode: S_IFCHR | 0o666,
      uid: 0,
      gid: 0,
      nlink: 1,
      atimeMs: BASE_EPOCH,
      mtimeMs: BASE_EPOCH,
      ctimeMs: BASE_EPOCH,
      birthtimeMs: BASE_EPOCH,
    });
    vfs.inodes.setEntry(devIno, name, ino);
  }
}

function contentId(inodes: LayeredInodes): string {
  const hash = createHash("sha256");
  for (const s of encodeLayers(inodes, null, "")) if (s.tag !== "FSLY") hash.update(s.data);
  return hash.digest("hex").slice(0, 24);
}
