/**
 * A mock LLM server on 127.0.0.1 that speaks the Anthropic Messages API (`POST /v1/messages`,
 * streaming or not, `/v1/messages/count_tokens`, `HEAD /`) and OpenAI chat completions
 * (`POST /v1/chat/completions`), answering from a script. Use it to test provider wiring
 * (`ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL` in a session's env) and out-of-process agents.
 *
 * ```ts
 * const server = await startMockLlmServer({ script: ["Hello!"] });
 * await vm.createSession("pi", { env: { ANTHROPIC_API_KEY: "test", ANTHROPIC_BASE_URL: server.url } });
 * ```
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  normalizeReply,
  type Reply,
  type ScriptContext,
  type ScriptFunction,
  type ScriptStep,
  toolCallId,
} from "./script.ts";

export interface MockLlmServerOptions {
  script?: ScriptStep[] | ScriptFunction;
  /** Port on 127.0.0.1; default: any free port. */
  port?: number;
  /**
   * Answer requests that offer no tools with this text, without using the script. Claude Code
   * makes such side calls (titles, quota checks) around the real ones.
   */
  sideCalls?: string;
}

export interface MockLlmRequest {
  method: string;
  path: string;
  api: "anthropic" | "openai" | "other";
  /** Headers, with `x-api-key` and `authorization` redacted. */
  headers: Record<string, string>;
  /** The API key the client sent (`x-api-key` or `Authorization: Bearer`). */
  apiKey?: string;
  body: unknown;
}

export interface MockLlmServer {
  /** `http://127.0.0.1:<port>`: the Anthropic base URL. */
  readonly url: string;
  /** `http://127.0.0.1:<port>/v1`: the OpenAI base URL. */
  readonly openaiBaseUrl: string;
  /** Every request received, API keys redacted. */
  readonly requests: MockLlmRequest[];
  push(...steps: ScriptStep[]): void;
  pending(): number;
  close(): Promise<void>;
}

export async function startMockLlmServer(options: MockLlmServerOptions = {}): Promise<MockLlmServer> {
  const steps: ScriptStep[] = Array.isArray(options.script) ? [...options.script] : [];
  const fallback = Array.isArray(options.script) ? undefined : options.script;
  const requests: MockLlmRequest[] = [];
  let calls = 0;

  const nextReply = async (ctx: ScriptContext): Promise<Reply> => {
    const step = steps.shift() ?? fallback;
    if (!step)
      return {
        stopReason: "error",
        errorMessage: `mock server: no scripted reply for request #${ctx.callCount + 1}`,
      };
    return normalizeReply(typeof step === "function" ? await step(ctx) : step);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "mock_error", message: String((e as Error)?.message ?? e) } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    const path = url.pathname;
    const api = path.startsWith("/v1/messages")
      ? "anthropic"
      : path.endsWith("/chat/completions")
        ? "openai"
        : "other";
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      headers[k] = /^(x-api-key|authorization)$/i.test(k) ? "<redacted>" : String(v);
    }
    const auth = req.headers.authorization;
    const apiKey =
      (req.headers["x-api-key"] as string | undefined) ??
      (auth?.startsWith("Bearer ") ? auth.slice(7) : undefined);
    requests.push({ method: req.method ?? "GET", path, api, headers, apiKey, body });

    if (req.method === "HEAD" || (req.method === "GET" && path === "/")) {
      res.writeHead(200).end();
      return;
    }
    if (req.method === "POST" && path === "/v1/messages/count_tokens") {
      json(res, 200, { input_tokens: estimate(raw) });
      return;
    }
    if (req.method === "POST" && api === "anthropic") {
      const b = body as AnthropicRequest;
      const ctx = anthropicContext(b, calls);
      if (options.sideCalls !== undefined && ctx.tools.length === 0) {
        anthropicReply(res, { text: options.sideCalls }, b, estimate(raw));
        return;
      }
      calls++;
      const r = await nextReply(ctx);
      if (r.stopReason === "error") {
        json(res, r.httpStatus ?? 400, {
          type: "error",
          error: { type: "invalid_request_error", message: r.errorMessage ?? "mock error" },
        });
        return;
      }
      anthropicReply(res, r, b, estimate(raw));
      return;
    }
    if (req.method === "POST" && api === "openai") {
      const b = body as OpenAIRequest;
      const ctx = openaiContext(b, calls);
      if (options.sideCalls !== undefined && ctx.tools.length === 0) {
        openaiReply(res, { text: options.sideCalls }, b, estimate(raw));
        return;
      }
      calls++;
      const r = await nextReply(ctx);
      if (r.stopReason === "error") {
        json(res, r.httpStatus ?? 400, {
          error: { type: "invalid_request_error", message: r.errorMessage ?? "mock error" },
        });
        return;
      }
      openaiReply(res, r, b, estimate(raw));
      return;
    }
    json(res, 404, {
      error: { type: "not_found", message: `mock server: no route for ${req.method} ${path}` },
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    openaiBaseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    push: (...more) => steps.push(...more),
    pending: () => steps.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function estimate(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function chunks(text: string, size = 16): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

// ------------------------------------------------------------------ Anthropic

interface AnthropicBlock {
  type: string;
  text?: string;
  content?: string | AnthropicBlock[];
  tool_use_id?: string;
  is_error?: boolean;
  name?: string;
  id?: string;
}
interface AnthropicRequest {
  model?: string;
  tools?: Array<{ name?: string }>;
  stream?: boolean;
  system?: string | AnthropicBlock[];
  messages?: Array<{ role: string; content: string | AnthropicBlock[] }>;
}

function blockText(content: string | AnthropicBlock[] | undefined): string {
  if (content === undefined) return "";
  if (typeof content === "string") return content;
  return content.map((b) => (b.type === "text" ? (b.text ?? "") : "")).join("");
}

function anthropicContext(b: AnthropicRequest, callCount: number): ScriptContext {
  const messages: ScriptContext["messages"] = [];
  let lastUserText = "";
  let toolResults: ScriptContext["toolResults"] = [];
  for (const m of b.messages ?? []) {
    const blocks = typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content;
    const results = blocks.filter((x) => x.type === "tool_result");
    if (m.role === "user" && results.length) {
      toolResults = results.map((r) => ({
        toolCallId: r.tool_use_id ?? "",
        text: blockText(r.content),
        isError: !!r.is_error,
      }));
      for (const r of toolResults) messages.push({ role: "tool", text: r.text });
      const text = blockText(blocks);
      if (text) {
        lastUserText = text;
        messages.push({ role: "user", text });
      }
      continue;
    }
    if (m.role === "user") {
      lastUserText = blockText(blocks);
      toolResults = [];
      messages.push({ role: "user", text: lastUserText });
    } else messages.push({ role: "assistant", text: blockText(blocks) });
  }
  const systemPrompt = typeof b.system === "string" ? b.system : blockText(b.system);
  const tools = (b.tools ?? []).map((t) => t.name ?? "");
  return { callCount, lastUserText, toolResults, messages, systemPrompt, tools };
}

function anthropicReply(res: ServerResponse, r: Reply, b: AnthropicRequest, inputTokens: number): void {
  const id = `msg_mock_${Math.random().toString(36).slice(2, 10)}`;
  const model = b.model ?? "mock";
  const blocks: Array<Record<string, unknown>> = [];
  if (r.thinking) blocks.push({ type: "thinking", thinking: r.thinking, signature: "mock-signature" });
  if (r.text) blocks.push({ type: "text", text: r.text });
  for (const call of r.toolCalls ?? []) {
    blocks.push({
      type: "tool_use",
      id: toolCallId(call).replace(/^call_/, "toolu_"),
      name: call.name,
      input: call.args,
    });
  }
  const stopReason = r.toolCalls?.length ? "tool_use" : r.stopReason === "length" ? "max_tokens" : "end_turn";
  const outputTokens = estimate(JSON.stringify(blocks));
  if (!b.stream) {
    json(res, 200, {
      id,
      type: "message",
      role: "assistant",
      model,
      content: blocks,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: outputTokens },
    });
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send("message_start", {
    type: "message_start",
    message: {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: 1 },
    },
  });
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      send("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "text", text: "" },
      });
      for (const c of chunks(String(block.text))) {
        send("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "text_delta", text: c },
        });
      }
    } else if (block.type === "thinking") {
      send("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      });
      for (const c of chunks(String(block.thinking))) {
        send("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "thinking_delta", thinking: c },
        });
      }
      send("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: "mock-signature" },
      });
    } else {
      send("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      for (const c of chunks(JSON.stringify(block.input))) {
        send("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: c },
        });
      }
    }
    send("content_block_stop", { type: "content_block_stop", index });
  });
  send("message_delta", {
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: outputTokens },
  });
  send("message_stop", { type: "message_stop" });
  res.end();
}

// ------------------------------------------------------------------ OpenAI

interface OpenAIRequest {
  model?: string;
  tools?: Array<{ function?: { name?: string } }>;
  stream?: boolean;
  messages?: Array<{
    role: string;
    content?: string | Array<{ type: string; text?: string }> | null;
    tool_call_id?: string;
  }>;
}

function openaiText(content: string | Array<{ type: string; text?: string }> | null | undefined): string {
  if (!content) return "";
  if (typeof content === "string") return content;
  return content.map((c) => (c.type === "text" ? (c.text ?? "") : "")).join("");
}

function openaiContext(b: OpenAIRequest, callCount: number): ScriptContext {
  const messages: ScriptContext["messages"] = [];
  let lastUserText = "";
  let systemPrompt = "";
  let toolResults: ScriptContext["toolResults"] = [];
  let lastWasTool = false;
  for (const m of b.messages ?? []) {
    const text = openaiText(m.content);
    if (m.role === "system" || m.role === "developer") systemPrompt += text;
    else if (m.role === "tool") {
      if (!lastWasTool) toolResults = [];
      toolResults.push({ toolCallId: m.tool_call_id ?? "", text, isError: false });
      messages.push({ role: "tool", text });
    } else if (m.role === "user") {
      lastUserText = text;
      toolResults = [];
      messages.push({ role: "user", text });
    } else messages.push({ role: "assistant", text });
    lastWasTool = m.role === "tool";
  }
  const tools = (b.tools ?? []).map((t) => t.function?.name ?? "");
  return { callCount, lastUserText, toolResults, messages, systemPrompt, tools };
}

function openaiReply(res: ServerResponse, r: Reply, b: OpenAIRequest, promptTokens: number): void {
  const id = `chatcmpl-mock-${Math.random().toString(36).slice(2, 10)}`;
  const model = b.model ?? "mock";
  const created = Math.floor(Date.now() / 1000);
  const toolCalls = (r.toolCalls ?? []).map((call, index) => ({
    index,
    id: toolCallId(call),
    type: "function" as const,
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  }));
  const finish = toolCalls.length ? "tool_calls" : r.stopReason === "length" ? "length" : "stop";
  const completionTokens = estimate(JSON.stringify([r.text, toolCalls]));
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (!b.stream) {
    json(res, 200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: r.text ?? null,
            ...(toolCalls.length ? { tool_calls: toolCalls.map(({ index: _i, ...c }) => c) } : {}),
          },
          finish_reason: finish,
        },
      ],
      usage,
    });
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
    );
  send({ role: "assistant", content: "" });
  if (r.thinking) for (const c of chunks(r.thinking)) send({ reasoning_content: c });
  if (r.text) for (const c of chunks(r.text)) send({ content: c });
  for (const call of toolCalls) send({ tool_calls: [call] });
  send({}, finish);
  res.write(
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`,
  );
  res.write("data: [DONE]\n\n");
  res.end();
}
