/**
 * Public types of agent sessions. A `SessionManager` drives sessions against a VM through the small
 * `SessionVm` interface (the `AgentOS` methods it uses), so it has no import cycle with `vm.ts`.
 */

import type {
  AcpPermissionOption,
  AcpSessionNotification,
  AcpStopReason,
  AcpToolCallContent,
  AcpToolKind,
} from "./acp.ts";

/** The `AgentOS` methods sessions use. Every path is an absolute VM path. */
export interface SessionVm {
  exec(
    command: string,
    options?: { cwd?: string; env?: Record<string, string>; timeout?: number; signal?: AbortSignal },
  ): Promise<{ stdout: string; stderr: string; exitCode: number; signal?: string; timedOut?: boolean }>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, content: string | Uint8Array, options?: { createParents?: boolean }): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ type: string; size: number }>;
  exists(path: string): Promise<boolean>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  readdirRecursive(
    path: string,
    options?: { maxDepth?: number; exclude?: Array<string | RegExp> },
  ): Promise<Array<{ path: string; type: string; size: number }>>;
}

/**
 * How the session manager reports events: `emit("sessionEvent", …)` and
 * `emit("permissionRequest", …)`. Returns whether anyone listened (as `EventEmitter#emit` does);
 * a permission request nobody listens to, and no hook answers, is rejected at once.
 */
export type SessionEmit = (
  event: "sessionEvent" | "permissionRequest",
  payload: unknown,
) => boolean | undefined;

export type PermissionMode = "allow" | "ask" | "deny";

/**
 * Which tool calls need approval: one mode for all tools, or per tool name with `"*"` as the
 * default for the rest. Default: `"allow"` (the tools act on the VM, which is the sandbox).
 */
export type PermissionPolicy = PermissionMode | Record<string, PermissionMode>;

export type PermissionResponse = "once" | "always" | "reject";

export interface PermissionRequest {
  sessionId: string;
  permissionId: string;
  toolCall: {
    toolCallId: string;
    toolName: string;
    title: string;
    kind: AcpToolKind;
    rawInput: unknown;
  };
  /** The ACP options: `allow_once`, `allow_always`, `reject_once`. */
  options: AcpPermissionOption[];
}

/** A model: `"provider/id"`, a bare id, or a Pi `Model` object (e.g. a scripted model's). */
export type ModelSpec = string | PiModelLike;

/** The fields of a Pi `Model` (from `@mariozechner/pi-ai`) that matter here. */
export interface PiModelLike {
  id: string;
  api: string;
  provider: string;
  baseUrl: string;
  [key: string]: unknown;
}

export interface CreateSessionOptions {
  /**
   * The session's environment: provider keys (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`), base-URL
   * overrides (`ANTHROPIC_BASE_URL`, `OPENAI_BASE_URL`), and variables for the agent's commands.
   * The host's environment is never inherited.
   */
  env?: Record<string, string>;
  /** Working directory in the VM (created if missing). Default `/workspace`. */
  cwd?: string;
  model?: ModelSpec;
  /** Appended to the system prompt. */
  additionalInstructions?: string;
  /** Leave out the paragraph that tells the agent about its machine. */
  skipOsInstructions?: boolean;
  /** Which tool calls need approval (overrides the manager's default). */
  permissions?: PermissionPolicy;
  /** Pi thinking level, for models that reason. */
  thinkingLevel?: "off" | "minimal" | "low" | "medium" | "high" | "xhigh";
}

export interface PromptUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  totalTokens: number;
  /** Cost in USD as the provider's price table computes it (0 for scripted models). */
  costUsd: number;
}

export interface PromptResult {
  /** The assistant's final text of this turn (all text of the last assistant message). */
  text: string;
  stopReason: AcpStopReason;
  usage: PromptUsage;
}

export type SessionState = "idle" | "prompting" | "closed";

export interface SessionInfo {
  sessionId: string;
  agentType: string;
  cwd: string;
  model: string;
  state: SessionState;
  createdAt: number;
  /** Number of recorded events. */
  eventCount: number;
  promptCount: number;
}

/** One recorded event of a transcript: `seq` counts from 1 within the session. */
export interface SessionEventRecord {
  seq: number;
  at: number;
  event: AcpSessionNotification;
}

/** The payload of the VM's `sessionEvent` event. */
export interface SessionEventPayload {
  sessionId: string;
  seq: number;
  event: AcpSessionNotification;
}

export interface SessionManagerOptions {
  /** Default permission policy for new sessions. Default `"allow"`. */
  permissions?: PermissionPolicy;
  /**
   * Answers permission requests. Runs before (and races with) `respondPermission`; return
   * `undefined` to leave the request to `respondPermission`.
   */
  onPermissionRequest?: (
    sessionId: string,
    request: PermissionRequest,
  ) => PermissionResponse | undefined | Promise<PermissionResponse | undefined>;
  /** How long a request waits for an answer before it is rejected. Default 60 000 ms. */
  permissionTimeoutMs?: number;
  /** Extra agent types (or replacements), keyed by name. "pi" is built in. */
  runtimes?: Record<string, AgentRuntime>;
  /**
   * On restore from a snapshot: env merged into every restored session's env. Secrets (API keys,
   * tokens) are not stored in snapshots; pass them again here, e.g. `{ ANTHROPIC_API_KEY }`.
   */
  restoreEnv?: Record<string, string>;
}

export type { AcpToolCallContent };

// ------------------------------------------------------------------ the runtime seam

/** What a runtime needs from the manager for one session. */
export interface RuntimeContext {
  sessionId: string;
  vm: SessionVm;
  cwd: string;
  env: Record<string, string>;
  options: CreateSessionOptions;
  /** Report an ACP update; the manager records it and emits `sessionEvent`. */
  update(update: AcpSessionNotification["params"]["update"]): void;
  /** Ask whether a tool call may run (applies the policy, hooks, timeout). */
  authorize(call: {
    toolCallId: string;
    toolName: string;
    title: string;
    kind: AcpToolKind;
    rawInput: unknown;
    signal?: AbortSignal;
  }): Promise<{ allowed: true } | { allowed: false; reason: string }>;
}

/** One live agent conversation. */
export interface RuntimeSession {
  /** Run one prompt turn to its end. Rejects on provider errors. */
  prompt(text: string): Promise<PromptResult>;
  cancel(): void;
  setModel(model: ModelSpec): Promise<void>;
  /** A human-readable model name. */
  modelName(): string;
  /** JSON-serialisable state to continue the conversation after a restore. */
  exportState(): unknown;
  /** Stop the agent; may resolve once its resources are released. */
  dispose(): void | Promise<void>;
}

export interface AgentRuntime {
  create(context: RuntimeContext, restoredState?: unknown): Promise<RuntimeSession>;
}

export class SessionError extends Error {
  readonly code: "ENOSESSION" | "EBUSY" | "ECLOSED" | "EAGENT" | "EMODEL" | "ENOPERMISSION";
  constructor(code: SessionError["code"], message: string) {
    super(`${code}: ${message}`);
    this.name = "SessionError";
    this.code = code;
  }
}
