/** Running one operation sequence against a reference and a target, and comparing whole trees. */

import { HostTarget } from "./host-target.ts";
import { LinuxModel } from "./linux-model.ts";
import { describeOp, type FsTarget, type NormStat, type Op, sameOutcome, showOutcome } from "./ops.ts";

/**
 * Apply `ops` to both, step by step; throw at the first step whose outcomes differ, listing the steps
 * so far (fast-check then shrinks the sequence). A step the reference `LinuxModel` reports as having
 * climbed above `/`, or that renames or removes `/` itself, ends the comparison when `hostLimits` is
 * set (a host directory cannot stand in for the root there); the result then says the sequence was not
 * compared to its end.
 */
export async function runBoth(
  reference: FsTarget,
  target: FsTarget,
  ops: readonly Op[],
  options: { hostLimits?: boolean; label?: string } = {},
): Promise<boolean> {
  const log: string[] = [];
  for (const [i, op] of ops.entries()) {
    if (reference instanceof LinuxModel) reference.climbedAboveRoot = false;
    const want = await reference.apply(op);
    const climbed = reference instanceof LinuxModel && reference.climbedAboveRoot;
    if (options.hostLimits && (climbed || !HostTarget.canEmulate(op))) {
      return false;
    }
    const got = await target.apply(op);
    log.push(`${i}: ${describeOp(op)} -> ${showOutcome(want)}`);
    if (!sameOutcome(want, got)) {
      throw new Error(
        `${options.label ?? "target"} differs at step ${i}: ${describeOp(op)}\n` +
          `  expected ${showOutcome(want)}\n  got      ${showOutcome(got)}\n${log.join("\n")}`,
      );
    }
  }
  return true;
}

export interface TreeEntry {
  path: string;
  stat: NormStat;
  /** Hard-link group: the index of the first entry with the same inode. */
  link: number;
  ino: number;
  content?: string;
}

/** Every entry below `/` (not following symlinks), sorted, with content and hard-link structure. */
export async function dumpTree(t: FsTarget, root = "/"): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const groups = new Map<number, number>();
  const must = async (op: Op) => {
    const r = await t.apply(op);
    if (!r.ok) throw new Error(`dumpTree: ${describeOp(op)} failed with ${r.code}`);
    return r.value;
  };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await must({ op: "readdir", path: dir })) as string[]) {
      const name = entry.slice(0, entry.lastIndexOf(":"));
      const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
      const stat = (await must({ op: "lstat", path })) as NormStat;
      const ino = await t.inode(path);
      if (!groups.has(ino)) groups.set(ino, out.length);
      const e: TreeEntry = { path, stat, link: groups.get(ino)!, ino };
      if (stat.type === "file") e.content = (await must({ op: "readFile", path })) as string;
      if (stat.type === "symlink") e.content = (await must({ op: "readlink", path })) as string;
      out.push(e);
      if (stat.type === "directory") await walk(path);
    }
  };
  await walk(root);
  return out;
}

/** The tree without inode numbers, for comparing two filesystems. */
export function shape(tree: TreeEntry[]): Array<Omit<TreeEntry, "ino">> {
  return tree.map(({ ino: _ino, ...rest }) => rest);
}
