/**
 * Read and assert on transcripts (`vm.getSessionEvents(id)` or the `sessionEvent` stream). The
 * assertions throw `node:assert`'s `AssertionError`, so they work with any test runner.
 */

import { AssertionError } from "node:assert";
import type {
  AcpSessionNotification,
  AcpSessionUpdate,
  AcpToolCallStatus,
  AcpToolKind,
} from "../agents/acp.ts";

type EventLike = AcpSessionNotification | { event: AcpSessionNotification } | AcpSessionUpdate;

function updatesOf(events: readonly EventLike[]): AcpSessionUpdate[] {
  return events.map((e) => {
    if ("sessionUpdate" in e) return e;
    if ("event" in e) return e.event.params.update;
    return e.params.update;
  });
}

/** Everything the agent said (its message chunks joined), optionally only after the last prompt. */
export function agentText(events: readonly EventLike[], options: { lastTurnOnly?: boolean } = {}): string {
  let updates = updatesOf(events);
  if (options.lastTurnOnly) {
    const last = updates.findLastIndex((u) => u.sessionUpdate === "user_message_chunk");
    updates = updates.slice(last + 1);
  }
  return updates
    .map((u) =>
      u.sessionUpdate === "agent_message_chunk" && u.content.type === "text" ? u.content.text : "",
    )
    .join("");
}

/** The prompts the session received, in order. */
export function userPrompts(events: readonly EventLike[]): string[] {
  return updatesOf(events).flatMap((u) =>
    u.sessionUpdate === "user_message_chunk" && u.content.type === "text" ? [u.content.text] : [],
  );
}

export interface ToolCallSummary {
  toolCallId: string;
  /** The agent's tool name (e.g. "bash", "write"). */
  name: string;
  title: string;
  kind: AcpToolKind;
  /** The final status. */
  status: AcpToolCallStatus;
  input: unknown;
  /** The text of the final content (the tool's output, or why it failed). */
  output: string;
}

/** Each tool call with its final status and output, in the order they were made. */
export function toolCalls(events: readonly EventLike[]): ToolCallSummary[] {
  const byId = new Map<string, ToolCallSummary>();
  for (const u of updatesOf(events)) {
    if (u.sessionUpdate === "tool_call") {
      byId.set(u.toolCallId, {
        toolCallId: u.toolCallId,
        name: u._meta?.toolName ?? u.title,
        title: u.title,
        kind: u.kind,
        status: u.status,
        input: u.rawInput,
        output: "",
      });
    } else if (u.sessionUpdate === "tool_call_update") {
      const call = byId.get(u.toolCallId);
      if (!call) continue;
      if (u.status) call.status = u.status;
      if (u.title) call.title = u.title;
      const text = (u.content ?? [])
        .map((c) => (c.type === "content" && c.content.type === "text" ? c.content.text : ""))
        .join("");
      if (text) call.output = text;
    }
  }
  return [...byId.values()];
}

export interface ExpectedToolCall {
  name?: string;
  status?: AcpToolCallStatus;
  /** Every listed key must equal the call's input's (deep equality via JSON). */
  input?: Record<string, unknown>;
  /** A substring or pattern the output must contain or match. */
  output?: string | RegExp;
}

function matches(call: ToolCallSummary, want: ExpectedToolCall): string | undefined {
  if (want.name !== undefined && call.name !== want.name) return `name ${call.name} ≠ ${want.name}`;
  if (want.status !== undefined && call.status !== want.status)
    return `status ${call.status} ≠ ${want.status}`;
  if (want.input) {
    const input = (call.input ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(want.input)) {
      if (JSON.stringify(input[k]) !== JSON.stringify(v)) {
        return `input.${k} ${JSON.stringify(input[k])} ≠ ${JSON.stringify(v)}`;
      }
    }
  }
  if (want.output !== undefined) {
    const ok =
      typeof want.output === "string" ? call.output.includes(want.output) : want.output.test(call.output);
    if (!ok)
      return `output ${JSON.stringify(call.output.slice(0, 200))} does not match ${String(want.output)}`;
  }
  return undefined;
}

/** Assert the tool calls, in order: exactly these (default) or, with `{ partial: true }`, these among others. */
export function assertToolCalls(
  events: readonly EventLike[],
  expected: ExpectedToolCall[],
  options: { partial?: boolean } = {},
): void {
  const calls = toolCalls(events);
  const list = () => calls.map((c) => `  ${c.name} [${c.status}] ${JSON.stringify(c.input)}`).join("\n");
  if (!options.partial) {
    if (calls.length !== expected.length) {
      throw new AssertionError({
        message: `expected ${expected.length} tool calls, got ${calls.length}:\n${list()}`,
        actual: calls,
        expected,
      });
    }
    expected.forEach((want, i) => {
      const why = matches(calls[i]!, want);
      if (why)
        throw new AssertionError({
          message: `tool call #${i + 1}: ${why}\n${list()}`,
          actual: calls[i],
          expected: want,
        });
    });
    return;
  }
  let at = 0;
  for (const [i, want] of expected.entries()) {
    while (at < calls.length && matches(calls[at]!, want)) at++;
    if (at === calls.length) {
      throw new AssertionError({
        message: `expected tool call #${i + 1} ${JSON.stringify(want)} (in order) among:\n${list()}`,
        actual: calls,
        expected,
      });
    }
    at++;
  }
}

/** Assert on a transcript's text and tool calls. */
export function assertTranscript(
  events: readonly EventLike[],
  expected: { text?: string | RegExp; toolCalls?: ExpectedToolCall[]; prompts?: string[] },
): void {
  if (expected.text !== undefined) {
    const text = agentText(events);
    const ok = typeof expected.text === "string" ? text.includes(expected.text) : expected.text.test(text);
    if (!ok) {
      throw new AssertionError({
        message: `agent text ${JSON.stringify(text.slice(0, 500))} does not match ${String(expected.text)}`,
        actual: text,
        expected: expected.text,
      });
    }
  }
  if (expected.prompts) {
    const prompts = userPrompts(events);
    if (JSON.stringify(prompts) !== JSON.stringify(expected.prompts)) {
      throw new AssertionError({ message: "prompts differ", actual: prompts, expected: expected.prompts });
    }
  }
  if (expected.toolCalls) assertToolCalls(events, expected.toolCalls);
}
