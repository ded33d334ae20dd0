/**
 * A scripted model for in-process agents ("pi"), built on Pi's faux provider: each model request
 * takes the next step of the script (or asks the script function). Deterministic, no network.
 *
 * ```ts
 * const model = scriptedModel([reply.tool("write", { path: "a.txt", content: "hi" }), "Done."]);
 * const id = await vm.createSession("pi", { model: model.model });
 * ```
 */

import {
  type AssistantMessage,
  type Context,
  type FauxProviderRegistration,
  fauxAssistantMessage,
  fauxText,
  fauxThinking,
  fauxToolCall,
  type Message,
  registerFauxProvider,
} from "@mariozechner/pi-ai";
import type { PiModelLike } from "../agents/types.ts";
import {
  normalizeReply,
  type ReplyStep,
  type ScriptContext,
  type ScriptFunction,
  type ScriptStep,
  toolCallId,
} from "./script.ts";

export interface ScriptedModelOptions {
  /** Model id (default "scripted"). */
  id?: string;
  /** Stream replies at this rate (tokens of ~4 characters per second); default: as fast as possible. */
  tokensPerSecond?: number;
  /** When the script runs out: a function to ask, or (default) an error reply. */
  fallback?: ScriptFunction;
}

export interface ScriptedModel {
  /** Pass as `createSession("pi", { model })`. */
  readonly model: PiModelLike;
  /** Append steps to the script. */
  push(...steps: ScriptStep[]): void;
  /** Steps not yet used. */
  pending(): number;
  /** Model requests made so far. */
  readonly calls: number;
  /** Every request's context, simplified. */
  readonly requests: ScriptContext[];
  /** Unregister the provider (call after the test). */
  dispose(): void;
}

export function scriptedModel(
  script: ScriptStep[] | ScriptFunction = [],
  options: ScriptedModelOptions = {},
): ScriptedModel {
  const steps: ScriptStep[] = Array.isArray(script) ? [...script] : [];
  const fallback = Array.isArray(script) ? options.fallback : script;
  const requests: ScriptContext[] = [];
  let registration: FauxProviderRegistration | undefined;
  const respond = async (
    context: Context,
    _o: unknown,
    state: { callCount: number },
  ): Promise<AssistantMessage> => {
    const ctx = toScriptContext(context, state.callCount - 1);
    requests.push(ctx);
    const next = steps.shift() ?? fallback;
    if (!next) {
      return fauxAssistantMessage([], {
        stopReason: "error",
        errorMessage: `scripted model: the script has no step for request #${ctx.callCount + 1}`,
      });
    }
    const step: ReplyStep = typeof next === "function" ? await next(ctx) : next;
    return toAssistantMessage(step);
  };
  registration = registerFauxProvider({
    provider: "scripted",
    models: [{ id: options.id ?? "scripted", reasoning: true, contextWindow: 200_000, maxTokens: 16_384 }],
    tokensPerSecond: options.tokensPerSecond,
  });
  // One factory that is always queued, so the faux provider never runs dry.
  const factory = (context: Context, o: unknown, state: { callCount: number }) => {
    registration?.appendResponses([factory]);
    return respond(context, o, state);
  };
  registration.setResponses([factory]);
  const model = registration.getModel() as unknown as PiModelLike;
  return {
    model,
    push: (...more) => steps.push(...more),
    pending: () => steps.length,
    get calls() {
      return requests.length;
    },
    requests,
    dispose: () => {
      registration?.unregister();
      registration = undefined;
    },
  };
}

function toAssistantMessage(step: ReplyStep): AssistantMessage {
  const r = normalizeReply(step);
  if (r.stopReason === "error") {
    return fauxAssistantMessage([], {
      stopReason: "error",
      errorMessage: r.errorMessage ?? "scripted error",
    });
  }
  const blocks = [];
  if (r.thinking) blocks.push(fauxThinking(r.thinking));
  if (r.text) blocks.push(fauxText(r.text));
  for (const call of r.toolCalls ?? [])
    blocks.push(fauxToolCall(call.name, call.args, { id: toolCallId(call) }));
  const stopReason = r.stopReason ?? (r.toolCalls?.length ? "toolUse" : "stop");
  return fauxAssistantMessage(blocks, { stopReason });
}

function textOfContent(content: Message["content"]): string {
  if (typeof content === "string") return content;
  return content
    .map((c) => (c.type === "text" ? c.text : c.type === "thinking" ? "" : c.type === "toolCall" ? "" : ""))
    .join("");
}

function toScriptContext(context: Context, callCount: number): ScriptContext {
  const messages: ScriptContext["messages"] = [];
  let lastUserText = "";
  for (const m of context.messages) {
    if (m.role === "user") {
      lastUserText = textOfContent(m.content);
      messages.push({ role: "user", text: lastUserText });
    } else if (m.role === "assistant") messages.push({ role: "assistant", text: textOfContent(m.content) });
    else messages.push({ role: "tool", text: textOfContent(m.content) });
  }
  const toolResults: ScriptContext["toolResults"] = [];
  for (let i = context.messages.length - 1; i >= 0; i--) {
    const m = context.messages[i]!;
    if (m.role !== "toolResult") break;
    toolResults.unshift({
      toolCallId: m.toolCallId,
      toolName: m.toolName,
      text: textOfContent(m.content),
      isError: m.isError,
    });
  }
  const tools = (context.tools ?? []).map((t) => t.name);
  return { callCount, lastUserText, toolResults, messages, systemPrompt: context.systemPrompt ?? "", tools };
}
