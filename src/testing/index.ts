/**
 * `agentos-vm/testing`: unit tests of agent behaviour. A scripted model for in-process agents, a
 * mock Anthropic/OpenAI-compatible server on 127.0.0.1, and helpers to assert on transcripts.
 */

export {
  agentText,
  assertToolCalls,
  assertTranscript,
  type ToolCallSummary,
  toolCalls,
  userPrompts,
} from "./assertions.ts";
export {
  type MockLlmRequest,
  type MockLlmServer,
  type MockLlmServerOptions,
  startMockLlmServer,
} from "./mock-server.ts";
export {
  type Reply,
  reply,
  type ScriptContext,
  type ScriptFunction,
  type ScriptStep,
  type ScriptToolCall,
} from "./script.ts";
export { type ScriptedModel, type ScriptedModelOptions, scriptedModel } from "./scripted-model.ts";
