/**
 * Pi's coding tools wired to the VM through their `operations` objects, plus our own `grep`
 * (Pi's spawns the host's `rg`) and a `plan` tool that reports ACP plans. Nothing here touches
 * the host's files or processes: Pi's tools only see these operations. (Pi still resolves paths
 * with `node:path` and probes them read-only on the host for macOS filename variants and its
 * per-file mutation queue; see docs/agents.md.)
 */

import { posix } from "node:path";
import type { AgentTool, AgentToolResult } from "@mariozechner/pi-agent-core";
import { Type } from "@mariozechner/pi-ai";
import {
  type BashOperations,
  createBashTool,
  createEditTool,
  createFindTool,
  createLsTool,
  createReadTool,
  createWriteTool,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_LINES,
  type EditOperations,
  type FindOperations,
  type LsOperations,
  type ReadOperations,
  type WriteOperations,
} from "@mariozechner/pi-coding-agent";
import type { AcpPlanEntry } from "../acp.ts";
import { globMatcher, SKIPPED_DIRS } from "../glob.ts";
import type { SessionVm } from "../types.ts";

const VM_HOME = "/home/agentos";

/** Resolve a tool's path argument in the VM: `~` is the VM user's home, relative paths start at `cwd`. */
export function resolveVmPath(path: string, cwd: string): string {
  let p = path.startsWith("@") ? path.slice(1) : path;
  if (p === "~") p = VM_HOME;
  else if (p.startsWith("~/")) p = VM_HOME + p.slice(1);
  return posix.resolve(cwd, p);
}

function enoent(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, access '${path}'`), { code: "ENOENT" });
}

export interface VmToolsOptions {
  vm: SessionVm;
  cwd: string;
  /** The env for the agent's commands. */
  env: Record<string, string>;
  onPlan(entries: AcpPlanEntry[]): void;
}

// biome-ignore lint/suspicious/noExplicitAny: Pi's tools are generic over their schemas.
export type AnyTool = AgentTool<any>;

export function createVmTools(options: VmToolsOptions): AnyTool[] {
  const { vm, cwd, env } = options;
  const fileBytes = async (p: string) => Buffer.from(await vm.readFile(p));
  const access = async (p: string) => {
    if (!(await vm.exists(p))) throw enoent(p);
  };
  const read: ReadOperations = { readFile: fileBytes, access };
  const write: WriteOperations = {
    writeFile: (p, content) => vm.writeFile(p, content, { createParents: true }),
    mkdir: (dir) => vm.mkdir(dir, { recursive: true }),
  };
  const edit: EditOperations = {
    readFile: fileBytes,
    writeFile: (p, content) => vm.writeFile(p, content),
    access,
  };
  const ls: LsOperations = {
    exists: (p) => vm.exists(p),
    stat: async (p) => {
      const st = await vm.stat(p);
      return { isDirectory: () => st.type === "directory" };
    },
    readdir: (p) => vm.readdir(p),
  };
  const find: FindOperations = {
    exists: (p) => vm.exists(p),
    glob: async (pattern, root, { limit }) => {
      const match = globMatcher(pattern);
      const out: string[] = [];
      for (const e of await vm.readdirRecursive(root, { exclude: SKIPPED_DIRS })) {
        if (e.type === "directory") continue;
        if (match(e.path.slice(root === "/" ? 1 : root.length + 1))) out.push(e.path);
        if (out.length >= limit) break;
      }
      return out;
    },
  };
  const bash: BashOperations = {
    exec: async (command, dir, { onData, signal, timeout }) => {
      if (signal?.aborted) throw new Error("aborted");
      const r = await vm.exec(command, {
        cwd: dir,
        env,
        signal,
        timeout: timeout && timeout > 0 ? timeout * 1000 : undefined,
      });
      if (signal?.aborted) throw new Error("aborted");
      if (r.timedOut) throw new Error(`timeout:${timeout}`);
      const output = r.stdout + (r.stdout && r.stderr && !r.stdout.endsWith("\n") ? "\n" : "") + r.stderr;
      // Pi spills long output to a temp file on the host; keep it under its limits and spill into the VM.
      const capped = await capOutput(vm, output);
      if (capped) onData(Buffer.from(capped));
      return { exitCode: r.exitCode };
    },
  };
  const tools: AnyTool[] = [
    createReadTool(cwd, { operations: read }),
    createWriteTool(cwd, { operations: write }),
    createEditTool(cwd, { operations: edit }),
    createBashTool(cwd, { operations: bash }),
    createLsTool(cwd, { operations: ls }),
    createFindTool(cwd, { operations: find }),
  ].map((t) => withVmPaths(t as AnyTool, cwd));
  tools.push(createGrepTool(vm, cwd), createPlanTool(options.onPlan));
  return tools;
}

/** Resolve `~` and `@` in path arguments against the VM, not the host (Pi would use the host's home). */
function withVmPaths(tool: AnyTool, cwd: string): AnyTool {
  const prepare = tool.prepareArguments;
  return {
    ...tool,
    prepareArguments: (args: unknown) => {
      const a = (prepare ? prepare(args) : args) as Record<string, unknown>;
      if (a && typeof a === "object" && typeof a.path === "string" && /^[~@]/.test(a.path)) {
        return { ...a, path: resolveVmPath(a.path, cwd) };
      }
      return a;
    },
  };
}

async function capOutput(vm: SessionVm, output: string): Promise<string> {
  const maxBytes = DEFAULT_MAX_BYTES - 2048;
  const maxLines = DEFAULT_MAX_LINES - 20;
  const lines = output.split("\n");
  if (Buffer.byteLength(output) <= maxBytes && lines.length <= maxLines) return output;
  const file = `/tmp/agentos-bash-${crypto.randomUUID().slice(0, 8)}.log`;
  await vm.writeFile(file, output, { createParents: true });
  let tail = lines.slice(-maxLines).join("\n");
  while (Buffer.byteLength(tail) > maxBytes) tail = tail.slice(tail.indexOf("\n") + 1 || tail.length / 2);
  return `[output truncated: ${lines.length} lines, ${Buffer.byteLength(output)} bytes; the full output is in ${file}]\n${tail}`;
}

const grepSchema = Type.Object({
  pattern: Type.String({ description: "Search pattern (regex or literal string)" }),
  path: Type.Optional(
    Type.String({ description: "Directory or file to search (default: current directory)" }),
  ),
  glob: Type.Optional(
    Type.String({ description: "Filter files by glob pattern, e.g. '*.ts' or '**/*.spec.ts'" }),
  ),
  ignoreCase: Type.Optional(Type.Boolean({ description: "Case-insensitive search (default: false)" })),
  literal: Type.Optional(Type.Boolean({ description: "Treat pattern as literal string instead of regex" })),
  context: Type.Optional(Type.Number({ description: "Lines of context before and after each match" })),
  limit: Type.Optional(Type.Number({ description: "Maximum number of matches to return (default: 100)" })),
});

const MAX_GREP_FILE = 4 * 1024 * 1024;
const MAX_LINE = 500;

/** `grep` over the VM's files, in-process (Pi's own grep runs the host's ripgrep). */
export function createGrepTool(vm: SessionVm, cwd: string): AnyTool {
  return {
    name: "grep",
    label: "grep",
    description:
      "Search file contents for a pattern. Returns matching lines with file paths and line numbers. " +
      `Skips ${SKIPPED_DIRS.join(" and ")} directories and binary files. Output is truncated to 100 matches ` +
      `or ${DEFAULT_MAX_BYTES / 1024}KB.`,
    parameters: grepSchema,
    execute: async (_id: string, params: Record<string, unknown>, signal?: AbortSignal) => {
      const pattern = String(params.pattern ?? "");
      const root = resolveVmPath(typeof params.path === "string" ? params.path : ".", cwd);
      const limit = typeof params.limit === "number" && params.limit > 0 ? params.limit : 100;
      const ctx = typeof params.context === "number" && params.context > 0 ? Math.floor(params.context) : 0;
      let re: RegExp;
      try {
        const source = params.literal ? pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : pattern;
        re = new RegExp(source, params.ignoreCase ? "i" : "");
      } catch (e) {
        throw new Error(`Invalid regex: ${(e as Error).message}`);
      }
      if (!(await vm.exists(root))) throw new Error(`Path not found: ${root}`);
      const st = await vm.stat(root);
      const files: Array<{ abs: string; rel: string }> = [];
      if (st.type === "directory") {
        const match = typeof params.glob === "string" ? globMatcher(params.glob) : () => true;
        for (const e of await vm.readdirRecursive(root, { exclude: SKIPPED_DIRS })) {
          if (e.type !== "file" || e.size > MAX_GREP_FILE) continue;
          const rel = e.path.slice(root === "/" ? 1 : root.length + 1);
          if (match(rel)) files.push({ abs: e.path, rel });
        }
      } else files.push({ abs: root, rel: posix.basename(root) });
      const out: string[] = [];
      let matches = 0;
      let bytes = 0;
      scan: for (const f of files) {
        if (signal?.aborted) throw new Error("Operation aborted");
        const data = await vm.readFile(f.abs);
        if (data.subarray(0, 8192).includes(0)) continue;
        const lines = new TextDecoder().decode(data).split("\n");
        let lastShown = -1;
        for (let i = 0; i < lines.length; i++) {
          if (!re.test(lines[i]!)) continue;
          const from = Math.max(lastShown + 1, i - ctx);
          const to = Math.min(lines.length - 1, i + ctx);
          for (let k = from; k <= to; k++) {
            const text = lines[k]!.length > MAX_LINE ? `${lines[k]!.slice(0, MAX_LINE)}…` : lines[k]!;
            const line =
              k === i || re.test(lines[k]!) ? `${f.rel}:${k + 1}: ${text}` : `${f.rel}-${k + 1}- ${text}`;
            out.push(line);
            bytes += line.length + 1;
          }
          lastShown = to;
          matches++;
          if (matches >= limit || bytes > DEFAULT_MAX_BYTES) break scan;
        }
      }
      let text = out.length ? out.join("\n") : "No matches found";
      if (matches >= limit)
        text += `\n\n[${limit} matches limit reached. Use limit=${limit * 2} for more, or refine pattern]`;
      else if (bytes > DEFAULT_MAX_BYTES) text += `\n\n[output truncated at ${DEFAULT_MAX_BYTES / 1024}KB]`;
      return { content: [{ type: "text", text }], details: undefined } satisfies AgentToolResult<undefined>;
    },
  } as AnyTool;
}

const planSchema = Type.Object({
  entries: Type.Array(
    Type.Object({
      content: Type.String({ description: "What this step does" }),
      status: Type.Union([Type.Literal("pending"), Type.Literal("in_progress"), Type.Literal("completed")]),
      priority: Type.Optional(
        Type.Union([Type.Literal("high"), Type.Literal("medium"), Type.Literal("low")]),
      ),
    }),
    { description: "The whole plan, every step, in order" },
  ),
});

/** `plan`: the agent publishes its plan (the whole list each time); clients see ACP `plan` updates. */
export function createPlanTool(onPlan: (entries: AcpPlanEntry[]) => void): AnyTool {
  return {
    name: "plan",
    label: "plan",
    description:
      "Publish or update your plan for a multi-step task: pass every step with its status " +
      "(pending, in_progress, completed). Each call replaces the previous plan.",
    parameters: planSchema,
    execute: async (_id: string, params: { entries: Array<Partial<AcpPlanEntry>> }) => {
      const entries: AcpPlanEntry[] = (params.entries ?? []).map((e) => ({
        content: String(e.content ?? ""),
        status: e.status ?? "pending",
        priority: e.priority ?? "medium",
      }));
      onPlan(entries);
      return {
        content: [{ type: "text", text: `Plan updated (${entries.length} steps)` }],
        details: undefined,
      };
    },
  } as AnyTool;
}
