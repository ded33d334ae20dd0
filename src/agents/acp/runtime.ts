/**
 * External agents over ACP: the agent is a host subprocess and we are its client. We serve
 * `fs/read_text_file`, `fs/write_text_file`, `terminal/*` and `session/request_permission` from
 * the VM, and pass its `session/update` notifications on.
 *
 * What runs on the host: the agent process itself, with a throwaway HOME and an empty throwaway
 * working directory (both removed when the session ends), and only the environment given here
 * (PATH plus the session env). Whatever the agent does *without* asking its client (its own tools,
 * network requests, helper processes) happens on the host: only adapters proven to route file and
 * shell work through the client are VM-safe (see docs/agents.md).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AcpSessionUpdate, AcpStopReason, AcpToolKind } from "../acp.ts";
import {
  type AgentRuntime,
  type ModelSpec,
  type PromptResult,
  type RuntimeContext,
  type RuntimeSession,
  SessionError,
} from "../types.ts";
import { JsonRpcConnection } from "./connection.ts";

export interface AcpAgentSpec {
  /** Executable to run (an absolute path, or a name looked up in the host's PATH). */
  command: string;
  args?: string[];
  /** Extra environment for the agent process (the session env is added on top). */
  env?: Record<string, string>;
  /** Host environment variables passed through. Default `["PATH"]`. */
  inheritEnv?: string[];
  /** `_meta` for `session/new`, e.g. Claude Code's options. */
  sessionMeta?: (ctx: RuntimeContext) => Record<string, unknown> | undefined;
  /** Display name of the agent's model. */
  modelName?: string;
  /** Stop waiting for `initialize` / `session/new` after this long. Default 30 000 ms. */
  startTimeoutMs?: number;
}

const PROTOCOL_VERSION = 1;

/** An agent type for any ACP agent: `runtimes: { goose: acpRuntime({ command: "goose", args: ["acp"] }) }`. */
export function acpRuntime(spec: AcpAgentSpec | (() => AcpAgentSpec)): AgentRuntime {
  return {
    create: (ctx) => createAcpSession(typeof spec === "function" ? spec() : spec, ctx),
  };
}

interface Terminal {
  output: string;
  truncated: boolean;
  exit?: { exitCode: number | null; signal: string | null };
  done: Promise<void>;
  abort: AbortController;
  limit: number;
}

async function createAcpSession(spec: AcpAgentSpec, ctx: RuntimeContext): Promise<RuntimeSession> {
  const home = mkdtempSync(join(tmpdir(), "agentos-acp-home-"));
  const hostCwd = mkdtempSync(join(tmpdir(), "agentos-acp-cwd-"));
  const cleanup = (retries = 5) => {
    try {
      rmSync(home, { recursive: true, force: true, maxRetries: 2 });
      rmSync(hostCwd, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // A helper of the agent may still be writing there: try again shortly.
      if (retries > 0) setTimeout(() => cleanup(retries - 1), 200).unref();
    }
  };
  const env: Record<string, string> = {};
  for (const name of spec.inheritEnv ?? ["PATH"]) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  Object.assign(env, spec.env, ctx.env, { HOME: home, USERPROFILE: home, TMPDIR: home });
  let child: ChildProcess;
  try {
    // Its own process group, so closing the session ends the agent's helper processes too.
    child = spawn(spec.command, spec.args ?? [], {
      cwd: hostCwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
  } catch (e) {
    cleanup();
    throw new SessionError("EAGENT", `cannot start ${spec.command}: ${(e as Error).message}`);
  }
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (e) =>
      reject(new SessionError("EAGENT", `cannot start ${spec.command}: ${e.message}`)),
    ),
  );
  spawnError.catch(() => {});
  const conn = new JsonRpcConnection(child.stdout!, child.stdin!);
  child.on("exit", () => conn.close(new SessionError("EAGENT", `the agent process exited${tail(stderr)}`)));

  // Paths: the agent works in `hostCwd` (which must exist on the host); the VM's cwd stands behind it.
  const toVm = (p: string) =>
    p === hostCwd ? ctx.cwd : p.startsWith(`${hostCwd}/`) ? ctx.cwd + p.slice(hostCwd.length) : p;
  const fromAgent = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll(hostCwd, ctx.cwd));

  let agentSessionId = "";
  let promptAbort: AbortController | undefined;
  let turnText = "";
  const terminals = new Map<string, Terminal>();
  /** Tool names by call id, from the agent's `tool_call` updates (permission requests carry none). */
  const toolNames = new Map<string, string>();
  const toolKinds = new Map<string, string>();
  let nextTerminal = 1;

  conn.onNotification("session/update", (params) => {
    const { update } = params as { update: AcpSessionUpdate };
    if (!update || typeof update !== "object") return;
    const mapped = fromAgent(update);
    if (mapped.sessionUpdate === "tool_call" || mapped.sessionUpdate === "tool_call_update") {
      const meta = (mapped as { _meta?: { toolName?: string; claudeCode?: { toolName?: string } } })._meta;
      const raw = meta?.toolName ?? meta?.claudeCode?.toolName;
      if (raw) toolNames.set(mapped.toolCallId, normalizeToolName(raw));
      if (mapped.kind) toolKinds.set(mapped.toolCallId, mapped.kind);
      if (mapped.sessionUpdate === "tool_call") {
        const name = toolNames.get(mapped.toolCallId);
        if (name) mapped._meta = { ...mapped._meta, toolName: name };
      }
    }
    if (mapped.sessionUpdate === "agent_message_chunk" && mapped.content.type === "text")
      turnText += mapped.content.text;
    if (mapped.sessionUpdate === "user_message_chunk") return; // We record prompts ourselves.
    ctx.update(mapped);
  });
  conn.onRequest("fs/read_text_file", async (params) => {
    const { path, line, limit } = params as { path: string; line?: number; limit?: number };
    let content = new TextDecoder().decode(await ctx.vm.readFile(toVm(path)));
    if (line || limit) {
      const lines = content.split("\n");
      const from = Math.max(0, (line ?? 1) - 1);
      content = lines.slice(from, limit ? from + limit : undefined).join("\n");
    }
    return { content };
  });
  conn.onRequest("fs/write_text_file", async (params) => {
    const { path, content } = params as { path: string; content: string };
    await ctx.vm.writeFile(toVm(path), content, { createParents: true });
    return null;
  });
  conn.onRequest("terminal/create", (params) => {
    const p = params as {
      command: string;
      args?: string[];
      env?: Array<{ name: string; value: string }>;
      cwd?: string;
      outputByteLimit?: number;
    };
    const id = `term-${nextTerminal++}`;
    const command = p.args?.length ? [p.command, ...p.args].map(shellQuote).join(" ") : p.command;
    const termEnv: Record<string, string> = {};
    for (const { name, value } of p.env ?? []) termEnv[name] = value;
    const t: Terminal = {
      output: "",
      truncated: false,
      abort: new AbortController(),
      limit: p.outputByteLimit ?? 1024 * 1024,
      done: Promise.resolve(),
    };
    t.done = ctx.vm
      .exec(command, {
        cwd: p.cwd ? toVm(p.cwd) : ctx.cwd,
        env: { ...commandEnv(ctx.env), ...termEnv },
        signal: t.abort.signal,
      })
      .then(
        (r) => {
          append(t, r.stdout + r.stderr);
          t.exit = { exitCode: r.signal ? null : r.exitCode, signal: r.signal ?? null };
        },
        (e: unknown) => {
          append(t, String((e as Error)?.message ?? e));
          t.exit = { exitCode: 127, signal: null };
        },
      );
    terminals.set(id, t);
    return { terminalId: id };
  });
  const terminal = (params: unknown) => {
    const t = terminals.get((params as { terminalId: string }).terminalId);
    if (!t) throw new Error("unknown terminal");
    return t;
  };
  conn.onRequest("terminal/output", (params) => {
    const t = terminal(params);
    return { output: t.output, truncated: t.truncated, ...(t.exit ? { exitStatus: t.exit } : {}) };
  });
  conn.onRequest("terminal/wait_for_exit", async (params) => {
    const t = terminal(params);
    await t.done;
    return t.exit;
  });
  conn.onRequest("terminal/kill", (params) => {
    terminal(params).abort.abort();
    return {};
  });
  conn.onRequest("terminal/release", (params) => {
    const t = terminal(params);
    t.abort.abort();
    terminals.delete((params as { terminalId: string }).terminalId);
    return {};
  });
  conn.onRequest("session/request_permission", async (params) => {
    const p = fromAgent(
      params as {
        toolCall: {
          toolCallId: string;
          title?: string;
          kind?: string;
          rawInput?: unknown;
          _meta?: { toolName?: string; claudeCode?: { toolName?: string } };
        };
        options: Array<{ optionId: string; kind: string }>;
      },
    );
    const metaName = p.toolCall._meta?.toolName ?? p.toolCall._meta?.claudeCode?.toolName;
    const toolName =
      (metaName && normalizeToolName(metaName)) ??
      toolNames.get(p.toolCall.toolCallId) ??
      p.toolCall.title ??
      "tool";
    const verdict = await ctx.authorize({
      toolCallId: p.toolCall.toolCallId,
      toolName,
      title: p.toolCall.title ?? toolName,
      kind: (p.toolCall.kind ?? toolKinds.get(p.toolCall.toolCallId) ?? "other") as AcpToolKind,
      rawInput: p.toolCall.rawInput,
      signal: promptAbort?.signal,
    });
    if (promptAbort?.signal.aborted) return { outcome: { outcome: "cancelled" } };
    const want = verdict.allowed ? ["allow_once", "allow_always"] : ["reject_once", "reject_always"];
    const option = want.map((k) => p.options.find((o) => o.kind === k)).find(Boolean);
    if (!option) return { outcome: { outcome: "cancelled" } };
    return { outcome: { outcome: "selected", optionId: option.optionId } };
  });

  const withTimeout = <T>(promise: Promise<T>, what: string): Promise<T> => {
    const ms = spec.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new SessionError("EAGENT", `${what}: no answer within ${ms} ms${tail(stderr)}`)),
        ms,
      );
    });
    return Promise.race([promise, timeout, spawnError]).finally(() => clearTimeout(timer));
  };

  let disposed: Promise<void> | undefined;
  const dispose = (): Promise<void> => {
    disposed ??= new Promise<void>((resolve) => {
      for (const t of terminals.values()) t.abort.abort();
      conn.close(new SessionError("EAGENT", "the session was closed"));
      child.stdin?.end();
      const killGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, signal);
        } catch {
          // Already gone.
        }
      };
      const finish = () => {
        clearTimeout(hard);
        clearTimeout(giveUp);
        cleanup();
        resolve();
      };
      killGroup("SIGTERM");
      const hard = setTimeout(() => killGroup("SIGKILL"), 2000);
      const giveUp = setTimeout(finish, 4000);
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) finish();
      else child.once("exit", finish);
    });
    return disposed;
  };

  try {
    await withTimeout(
      conn.request("initialize", {
        protocolVersion: PROTOCOL_VERSION,
        clientCapabilities: { fs: { readTextFile: true, writeTextFile: true }, terminal: true },
        clientInfo: { name: "agentos-vm", version: "0.1.0" },
      }),
      "initialize",
    );
    const meta = spec.sessionMeta?.(ctx);
    const created = await withTimeout(
      conn.request<{ sessionId: string }>("session/new", {
        cwd: hostCwd,
        mcpServers: [],
        ...(meta ? { _meta: meta } : {}),
      }),
      "session/new",
    );
    agentSessionId = created.sessionId;
  } catch (e) {
    await dispose();
    throw e instanceof SessionError
      ? e
      : new SessionError("EAGENT", `${(e as Error).message}${tail(stderr)}`);
  }

  let model = spec.modelName ?? spec.command;
  return {
    async prompt(text: string): Promise<PromptResult> {
      turnText = "";
      promptAbort = new AbortController();
      try {
        const r = await conn.request<{ stopReason: AcpStopReason }>("session/prompt", {
          sessionId: agentSessionId,
          prompt: [{ type: "text", text }],
        });
        const stopReason = promptAbort.signal.aborted ? "cancelled" : r.stopReason;
        return { text: turnText, stopReason, usage: emptyUsage() };
      } catch (e) {
        throw e instanceof SessionError
          ? e
          : new SessionError("EAGENT", `${(e as Error).message}${tail(stderr)}`);
      }
    },
    cancel() {
      promptAbort?.abort();
      conn.notify("session/cancel", { sessionId: agentSessionId });
    },
    async setModel(spec: ModelSpec) {
      if (typeof spec !== "string") throw new SessionError("EMODEL", "ACP agents take a model id string");
      try {
        await conn.request("session/set_model", { sessionId: agentSessionId, modelId: spec });
        model = spec;
      } catch (e) {
        throw new SessionError("EMODEL", `the agent did not switch models: ${(e as Error).message}`);
      }
    },
    modelName: () => model,
    // The conversation lives in the agent process; a restored session starts a fresh one.
    exportState: () => undefined,
    dispose,
  };
}

/** `mcp__acp__Write` → `Write`: policies name the agent's tools as users know them. */
function normalizeToolName(name: string): string {
  return name.replace(/^mcp__acp__/, "");
}

function append(t: Terminal, text: string): void {
  t.output += text;
  const bytes = Buffer.byteLength(t.output);
  if (bytes > t.limit) {
    t.output = Buffer.from(t.output)
      .subarray(bytes - t.limit)
      .toString("utf8");
    t.truncated = true;
  }
}

function commandEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(ANTHROPIC|OPENAI)_/.test(k)));
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function tail(stderr: string): string {
  const t = stderr.trim();
  return t ? ` (agent stderr: ${t.slice(-1000)})` : "";
}

function emptyUsage() {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    totalTokens: 0,
    costUsd: 0,
  };
}
