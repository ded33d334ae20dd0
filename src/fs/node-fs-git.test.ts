/**
 * isomorphic-git over the facade: the same git session runs on the host's real `node:fs` in a
 * temporary directory and on the VM's filesystem, and must produce the same commits, logs and
 * status matrices. No network: init, add, commit, branch, checkout, read back.
 */

import * as hostFs from "node:fs";
import { tmpdir } from "node:os";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentOS } from "../vm.ts";
import type { NodeFsFacade } from "./node-fs.ts";

type GitFs = Parameters<typeof git.init>[0]["fs"];

const author = { name: "Agent", email: "agent@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };

/** One git session; everything it returns must be the same on any correct `fs`. */
async function session(fs: NodeFsFacade | typeof hostFs, dir: string) {
  // One type for both: the facade mirrors node:fs/promises for everything used here.
  const p = fs.promises as NodeFsFacade["promises"];
  const gfs = fs as GitFs;
  const out: Record<string, unknown> = {};
  await git.init({ fs: gfs, dir, defaultBranch: "main" });
  await p.writeFile(`${dir}/README.md`, "# demo\n");
  await p.mkdir(`${dir}/src/lib`, { recursive: true });
  await p.writeFile(`${dir}/src/lib/a.ts`, "export const a = 1;\n");
  await p.writeFile(`${dir}/run.sh`, "#!/bin/sh\necho hi\n", { mode: 0o755 });
  await p.symlink("README.md", `${dir}/link`);
  await git.add({ fs: gfs, dir, filepath: "." });
  out.first = await git.commit({ fs: gfs, dir, message: "initial", author });
  out.clean = await git.statusMatrix({ fs: gfs, dir });

  await p.writeFile(`${dir}/README.md`, "# demo, edited\n");
  await p.writeFile(`${dir}/untracked.txt`, "new\n");
  await p.unlink(`${dir}/src/lib/a.ts`);
  out.dirty = await git.statusMatrix({ fs: gfs, dir });
  await git.add({ fs: gfs, dir, filepath: "README.md" });
  await git.remove({ fs: gfs, dir, filepath: "src/lib/a.ts" });
  out.staged = await git.statusMatrix({ fs: gfs, dir });
  out.second = await git.commit({ fs: gfs, dir, message: "edit readme", author });

  await git.branch({ fs: gfs, dir, ref: "feature", checkout: true });
  await p.mkdir(`${dir}/feature`);
  await p.writeFile(`${dir}/feature/f.txt`, "feature work\n");
  await git.add({ fs: gfs, dir, filepath: "feature/f.txt" });
  out.third = await git.commit({ fs: gfs, dir, message: "feature", author });

  await git.checkout({ fs: gfs, dir, ref: "main" });
  out.onMain = {
    branch: await git.currentBranch({ fs: gfs, dir }),
    featureFile: await p.access(`${dir}/feature/f.txt`).then(
      () => true,
      () => false,
    ),
    readme: await p.readFile(`${dir}/README.md`, "utf8"),
  };
  await git.checkout({ fs: gfs, dir, ref: "feature" });
  out.onFeature = {
    branch: await git.currentBranch({ fs: gfs, dir }),
    file: await p.readFile(`${dir}/feature/f.txt`, "utf8"),
  };
  const { blob } = await git.readBlob({ fs: gfs, dir, oid: out.first as string, filepath: "src/lib/a.ts" });
  out.blobFromFirst = Buffer.from(blob).toString("utf8");
  out.log = (await git.log({ fs: gfs, dir })).map((c) => [c.oid, c.commit.message, c.commit.parent]);
  out.branches = await git.listBranches({ fs: gfs, dir });
  out.files = await git.listFiles({ fs: gfs, dir });
  return out;
}

describe("isomorphic-git on the node-fs facade", () => {
  let vm: AgentOS;
  let hostDir: string;
  let expected: Record<string, unknown>;

  beforeAll(async () => {
    vm = await AgentOS.create();
    hostDir = hostFs.mkdtempSync(`${tmpdir()}/agentos-git-`);
    expected = await session(hostFs, `${hostDir}/repo`);
  });
  afterAll(async () => {
    hostFs.rmSync(hostDir, { recursive: true, force: true });
    await vm.dispose();
  });

  it("gives the same commits, logs and status as on the host's fs", async () => {
    const fs = vm.nodeFs();
    await fs.promises.mkdir("/repo");
    const actual = await session(fs, "/repo");
    expect(actual).toEqual(expected);
    // Sanity: the session did what it says, so equal means something.
    expect(actual.log).toHaveLength(3);
    expect(actual.onMain).toEqual({ branch: "main", featureFile: false, readme: "# demo, edited\n" });
    expect(actual.files).toEqual(["README.md", "feature/f.txt", "link", "run.sh"]);
  });

  it("leaves a real .git in the VM", async () => {
    expect((await vm.stat("/repo/.git")).type).toBe("directory");
    expect(await vm.readFile("/repo/.git/HEAD", { encoding: "utf8" })).toBe("ref: refs/heads/feature\n");
    const objects = await vm.readdirRecursive("/repo/.git/objects");
    expect(objects.filter((e) => e.type === "file").length).toBeGreaterThanOrEqual(10);
    const head = await vm.readFile("/repo/.git/refs/heads/feature", { encoding: "utf8" });
    expect(head.trim()).toBe((expected.log as string[][])[0]![0]);
  });

  it("works through the callback API too", async () => {
    const { promises: _promises, ...callbackOnly } = vm.nodeFs();
    const fs = callbackOnly as unknown as GitFs;
    const dir = "/cb-repo";
    await vm.mkdir(dir);
    await git.init({ fs, dir, defaultBranch: "main" });
    await vm.writeFile(`${dir}/x.txt`, "x\n");
    await git.add({ fs, dir, filepath: "x.txt" });
    const oid = await git.commit({ fs, dir, message: "cb", author });
    expect((await git.log({ fs, dir }))[0]!.oid).toBe(oid);
    expect(await git.statusMatrix({ fs, dir })).toEqual([["x.txt", 1, 1, 1]]);
  });
});
