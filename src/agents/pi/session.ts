/**
 * One "pi" session: Pi's agent loop (`Agent` from pi-agent-core) with the VM-backed tools, its
 * events mapped to ACP `session/update` notifications, approvals through `beforeToolCall`.
 *
 * Only Pi's agent loop, its tool implementations and its provider clients run here: no settings,
 * auth or session files, no resource discovery, no extensions: nothing reads or writes the host's
 * HOME or cwd.
 */

import { Agent, type AgentEvent, type AgentMessage } from "@mariozechner/pi-agent-core";
import type { AssistantMessage, Model } from "@mariozechner/pi-ai";
import type { AcpSessionUpdate, AcpStopReason, AcpToolCallContent, AcpToolKind } from "../acp.ts";
import { buildInstructions } from "../instructions.ts";
import {
  type ModelSpec,
  type PromptResult,
  type PromptUsage,
  type RuntimeContext,
  type RuntimeSession,
  SessionError,
} from "../types.ts";
import { modelName, PROVIDER_ENV, type ResolvedModel, resolveModel } from "./models.ts";
import { createVmTools, resolveVmPath } from "./tools.ts";

interface PiState {
  messages: AgentMessage[];
  model: unknown;
  thinkingLevel?: string;
}

export async function createPiSession(ctx: RuntimeContext, restored?: unknown): Promise<RuntimeSession> {
  const state = restored as PiState | undefined;
  let resolved: ResolvedModel = resolveModel(
    (state?.model as ModelSpec | undefined) ?? ctx.options.model,
    ctx.env,
  );
  const commandEnv = Object.fromEntries(Object.entries(ctx.env).filter(([k]) => !PROVIDER_ENV.test(k)));
  const tools = createVmTools({
    vm: ctx.vm,
    cwd: ctx.cwd,
    env: commandEnv,
    onPlan: (entries) => ctx.update({ sessionUpdate: "plan", entries }),
  });
  const systemPrompt = buildInstructions({
    cwd: ctx.cwd,
    tools: tools.map((t) => t.name),
    skipOsInstructions: ctx.options.skipOsInstructions,
    additionalInstructions: ctx.options.additionalInstructions,
  });
  const agent = new Agent({
    initialState: {
      systemPrompt,
      model: resolved.model,
      thinkingLevel: (state?.thinkingLevel ?? ctx.options.thinkingLevel ?? "off") as "off",
      tools,
      messages: state?.messages ?? [],
    },
    sessionId: ctx.sessionId,
    toolExecution: "sequential",
    // Always a key from the session env (or a placeholder): Pi's providers would otherwise read the host's env.
    getApiKey: () => resolved.apiKey,
    beforeToolCall: async ({ toolCall, args }, signal) => {
      const describe = describeCall(toolCall.name, args, ctx.cwd);
      const verdict = await ctx.authorize({
        toolCallId: toolCall.id,
        toolName: toolCall.name,
        title: describe.title,
        kind: describe.kind,
        rawInput: args,
        signal,
      });
      if (!verdict.allowed) return { block: true, reason: verdict.reason };
      ctx.update({ sessionUpdate: "tool_call_update", toolCallId: toolCall.id, status: "in_progress" });
      return undefined;
    },
  });

  // Per prompt: the assistant messages of this run.
  let runMessages: AssistantMessage[] = [];
  let cancelled = false;
  agent.subscribe((event) => {
    for (const update of mapEvent(event, ctx.cwd)) ctx.update(update);
    if (event.type === "message_end" && event.message.role === "assistant") {
      runMessages.push(event.message as AssistantMessage);
    }
  });

  return {
    async prompt(text: string): Promise<PromptResult> {
      runMessages = [];
      cancelled = false;
      await agent.prompt(text);
      await agent.waitForIdle();
      const last = runMessages.at(-1);
      const usage = sumUsage(runMessages);
      if (cancelled || last?.stopReason === "aborted") {
        return { text: textOf(last), stopReason: "cancelled", usage };
      }
      if (!last) throw new SessionError("EAGENT", "the agent produced no reply");
      if (last.stopReason === "error") {
        throw new SessionError("EAGENT", last.errorMessage ?? "the model request failed");
      }
      const stopReason: AcpStopReason = last.stopReason === "length" ? "max_tokens" : "end_turn";
      return { text: textOf(last), stopReason, usage };
    },
    cancel() {
      cancelled = true;
      agent.abort();
    },
    async setModel(spec: ModelSpec) {
      resolved = resolveModel(spec, ctx.env);
      agent.state.model = resolved.model;
    },
    modelName: () => modelName(resolved.model as Model<string>),
    exportState(): PiState {
      return {
        messages: agent.state.messages,
        model: resolved.model,
        thinkingLevel: agent.state.thinkingLevel,
      };
    },
    dispose() {
      agent.abort();
    },
  };
}

function textOf(message: AssistantMessage | undefined): string {
  if (!message) return "";
  return message.content
    .filter((c) => c.type === "text")
    .map((c) => (c as { text: string }).text)
    .join("");
}

function sumUsage(messages: AssistantMessage[]): PromptUsage {
  const u: PromptUsage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    totalTokens: 0,
    costUsd: 0,
  };
  for (const m of messages) {
    u.inputTokens += m.usage?.input ?? 0;
    u.outputTokens += m.usage?.output ?? 0;
    u.cacheReadTokens += m.usage?.cacheRead ?? 0;
    u.cacheWriteTokens += m.usage?.cacheWrite ?? 0;
    u.totalTokens += m.usage?.totalTokens ?? 0;
    u.costUsd += m.usage?.cost?.total ?? 0;
  }
  return u;
}

interface CallDescription {
  title: string;
  kind: AcpToolKind;
  locations?: Array<{ path: string }>;
  content?: AcpToolCallContent[];
}

/** ACP title, kind, locations and (for file changes) diffs of a Pi tool call. */
export function describeCall(name: string, rawArgs: unknown, cwd: string): CallDescription {
  const args = (rawArgs ?? {}) as Record<string, unknown>;
  const path = typeof args.path === "string" ? resolveVmPath(args.path, cwd) : undefined;
  const at = path ? [{ path }] : undefined;
  switch (name) {
    case "read":
      return { title: `Read ${path ?? ""}`.trim(), kind: "read", locations: at };
    case "write":
      return {
        title: `Write ${path ?? ""}`.trim(),
        kind: "edit",
        locations: at,
        content:
          path && typeof args.content === "string"
            ? [{ type: "diff", path, oldText: null, newText: args.content }]
            : undefined,
      };
    case "edit": {
      const edits = Array.isArray(args.edits) ? (args.edits as Array<Record<string, unknown>>) : [];
      return {
        title: `Edit ${path ?? ""}`.trim(),
        kind: "edit",
        locations: at,
        content: path
          ? edits.map((e) => ({
              type: "diff" as const,
              path,
              oldText: String(e.oldText ?? ""),
              newText: String(e.newText ?? ""),
            }))
          : undefined,
      };
    }
    case "bash":
      return { title: String(args.command ?? "bash"), kind: "execute" };
    case "ls":
      return { title: `List ${path ?? cwd}`, kind: "read", locations: [{ path: path ?? cwd }] };
    case "find":
      return { title: `Find ${String(args.pattern ?? "")}`, kind: "search" };
    case "grep":
      return { title: `Grep ${String(args.pattern ?? "")}`, kind: "search" };
    case "plan":
      return { title: "Update plan", kind: "think" };
    default:
      return { title: name, kind: "other" };
  }
}

function resultText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> } | undefined)?.content;
  if (!Array.isArray(content)) return typeof result === "string" ? result : "";
  return content
    .filter((c) => c.type === "text")
    .map((c) => c.text ?? "")
    .join("");
}

/** Pi agent events → ACP `session/update` updates. */
export function mapEvent(event: AgentEvent, cwd: string): AcpSessionUpdate[] {
  switch (event.type) {
    case "message_update": {
      const e = event.assistantMessageEvent;
      if (e.type === "text_delta" && e.delta)
        return [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: e.delta } }];
      if (e.type === "thinking_delta" && e.delta)
        return [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: e.delta } }];
      return [];
    }
    case "tool_execution_start": {
      const d = describeCall(event.toolName, event.args, cwd);
      const update: AcpSessionUpdate = {
        sessionUpdate: "tool_call",
        toolCallId: event.toolCallId,
        title: d.title,
        kind: d.kind,
        status: "pending",
        rawInput: event.args,
        _meta: { toolName: event.toolName },
      };
      if (d.locations) update.locations = d.locations;
      if (d.content?.length) update.content = d.content;
      return [update];
    }
    case "tool_execution_update": {
      const text = resultText(event.partialResult);
      if (!text) return [];
      return [
        {
          sessionUpdate: "tool_call_update",
          toolCallId: event.toolCallId,
          status: "in_progress",
          content: [{ type: "content", content: { type: "text", text } }],
        },
      ];
    }
    case "tool_execution_end": {
      const text = resultText(event.result);
      return [
        {
          sessionUpdate: "tool_call_update",
          toolCallId: event.toolCallId,
          status: event.isError ? "failed" : "completed",
          content: text ? [{ type: "content", content: { type: "text", text } }] : [],
          rawOutput: { isError: event.isError, text },
        },
      ];
    }
    default:
      return [];
  }
}
