/** Agent sessions: the session manager, its types, and the ACP shapes its events use. */

export {
  CLAUDE_ADAPTER,
  CLAUDE_ADAPTER_VERSION,
  CLAUDE_HOST_TOOLS,
  type ClaudeRuntimeOptions,
  claudeRuntime,
  resolveClaudeAdapter,
} from "./acp/claude.ts";
export { type AcpAgentSpec, acpRuntime } from "./acp/runtime.ts";
export type {
  AcpContentBlock,
  AcpPermissionOption,
  AcpPlanEntry,
  AcpSessionNotification,
  AcpSessionUpdate,
  AcpStopReason,
  AcpToolCallContent,
  AcpToolCallStatus,
  AcpToolKind,
} from "./acp.ts";
export { OS_INSTRUCTIONS } from "./instructions.ts";
export { SESSIONS_SECTION_TAG, SessionManager } from "./session-manager.ts";
export {
  type AgentRuntime,
  type CreateSessionOptions,
  type ModelSpec,
  type PermissionMode,
  type PermissionPolicy,
  type PermissionRequest,
  type PermissionResponse,
  type PiModelLike,
  type PromptResult,
  type PromptUsage,
  type RuntimeContext,
  type RuntimeSession,
  type SessionEmit,
  SessionError,
  type SessionEventPayload,
  type SessionEventRecord,
  type SessionInfo,
  type SessionManagerOptions,
  type SessionState,
  type SessionVm,
} from "./types.ts";
