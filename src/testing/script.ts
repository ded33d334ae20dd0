/**
 * Scripts for scripted models and the mock LLM server: what the "model" replies, turn by turn.
 * A step is a string (a text reply), a `Reply` (text, thinking and tool calls), or a function of
 * the conversation so far that returns one.
 */

export interface ScriptToolCall {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

export interface Reply {
  text?: string;
  thinking?: string;
  toolCalls?: ScriptToolCall[];
  /** Default: "toolUse" when there are tool calls, else "stop". */
  stopReason?: "stop" | "length" | "toolUse" | "error";
  /** With `stopReason: "error"`: the provider error the agent sees. */
  errorMessage?: string;
  /** Mock server only, with `stopReason: "error"`: the HTTP status (default 400; SDKs retry 429 and 5xx). */
  httpStatus?: number;
}

/** What a script function sees: the conversation as the model would. */
export interface ScriptContext {
  /** How many model requests came before this one (0 for the first). */
  callCount: number;
  /** The text of the latest user prompt. */
  lastUserText: string;
  /** Results of the tool calls the previous reply made, in order. */
  toolResults: Array<{ toolCallId: string; toolName?: string; text: string; isError: boolean }>;
  /** Every message, simplified: role and text. */
  messages: Array<{ role: "user" | "assistant" | "tool"; text: string }>;
  /** The system prompt. */
  systemPrompt: string;
  /** Names of the tools offered to the model in this request. */
  tools: string[];
}

export type ScriptFunction = (context: ScriptContext) => ReplyStep | Promise<ReplyStep>;
export type ReplyStep = string | Reply;
export type ScriptStep = ReplyStep | ScriptFunction;

/** Helpers to write scripts that read well. */
export const reply = {
  text: (text: string): Reply => ({ text }),
  tool: (name: string, args: Record<string, unknown>, text?: string): Reply => ({
    text,
    toolCalls: [{ name, args }],
  }),
  tools: (...calls: ScriptToolCall[]): Reply => ({ toolCalls: calls }),
  error: (errorMessage: string): Reply => ({ stopReason: "error", errorMessage }),
};

export function normalizeReply(step: ReplyStep): Reply {
  return typeof step === "string" ? { text: step } : step;
}

let idCounter = 0;
export function toolCallId(call: ScriptToolCall): string {
  return call.id ?? `call_${(++idCounter).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
