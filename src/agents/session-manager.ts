/**
 * `SessionManager`: the agent sessions of one VM. `AgentOS` owns one and delegates its session
 * methods to it; it reports `sessionEvent` and `permissionRequest` through the `emit` callback.
 *
 * Every session keeps a transcript: the ordered ACP `session/update` notifications, prompts
 * included (as `user_message_chunk`). Transcripts and the agents' conversation state go into the
 * VM snapshot as one section (`toSnapshotSection` / `fromSnapshotSection`), so a restored VM lists
 * its sessions and can continue one. Secrets in session env are not written to snapshots.
 */

import { claudeRuntime } from "./acp/claude.ts";
import { type AcpPermissionOption, type AcpSessionUpdate, notification } from "./acp.ts";
import { piRuntime } from "./pi/index.ts";
import {
  type AgentRuntime,
  type CreateSessionOptions,
  type ModelSpec,
  type PermissionMode,
  type PermissionRequest,
  type PermissionResponse,
  type PromptResult,
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

/** The snapshot section that holds sessions. */
export const SESSIONS_SECTION_TAG = "SESS";
const SECTION_VERSION = 1;

/** Env names whose values are never written to a snapshot. */
const SECRET_ENV = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;

const PERMISSION_OPTIONS: AcpPermissionOption[] = [
  { optionId: "once", name: "Allow once", kind: "allow_once" },
  { optionId: "always", name: "Always allow", kind: "allow_always" },
  { optionId: "reject", name: "Reject", kind: "reject_once" },
];

interface PendingPermission {
  request: PermissionRequest;
  settle(response: PermissionResponse, why?: string): void;
}

interface SessionRecord {
  id: string;
  agentType: string;
  cwd: string;
  env: Record<string, string>;
  options: CreateSessionOptions;
  createdAt: number;
  state: SessionState;
  events: SessionEventRecord[];
  seq: number;
  promptCount: number;
  runtime?: RuntimeSession;
  /** Conversation state from a snapshot, used when the runtime is first needed. */
  restoredState?: unknown;
  redactedEnv: string[];
  alwaysAllowed: Set<string>;
  pending: Map<string, PendingPermission>;
  nextPermission: number;
}

interface StoredSession {
  id: string;
  agentType: string;
  cwd: string;
  env: Record<string, string>;
  redactedEnv: string[];
  options: Omit<CreateSessionOptions, "env">;
  createdAt: number;
  closed: boolean;
  events: SessionEventRecord[];
  seq: number;
  promptCount: number;
  alwaysAllowed: string[];
  runtimeState: unknown;
}

export class SessionManager {
  private readonly vm: SessionVm;
  private readonly emit: SessionEmit;
  private readonly options: SessionManagerOptions;
  private readonly runtimes: Record<string, AgentRuntime>;
  private readonly sessions = new Map<string, SessionRecord>();

  constructor(vm: SessionVm, emit: SessionEmit, options: SessionManagerOptions = {}) {
    this.vm = vm;
    this.emit = emit;
    this.options = options;
    this.runtimes = { pi: piRuntime, claude: claudeRuntime(), ...options.runtimes };
  }

  /** Start a session; resolves once its agent is ready (model resolved from `env`). */
  async createSession(agentType: string, options: CreateSessionOptions = {}): Promise<string> {
    const runtime = this.runtimeFor(agentType);
    const cwd = options.cwd ?? "/workspace";
    if (!cwd.startsWith("/")) throw new SessionError("EAGENT", `cwd must be an absolute VM path: ${cwd}`);
    await this.vm.mkdir(cwd, { recursive: true });
    const record = this.newRecord(crypto.randomUUID(), agentType, cwd, options);
    record.runtime = await runtime.create(this.contextFor(record));
    this.sessions.set(record.id, record);
    return record.id;
  }

  /** Send a prompt; resolves when the agent's turn ends. One prompt at a time per session. */
  async sendPrompt(sessionId: string, text: string): Promise<PromptResult> {
    const s = this.get(sessionId);
    if (s.state === "closed") throw new SessionError("ECLOSED", `session ${sessionId} is closed`);
    if (s.state === "prompting") throw new SessionError("EBUSY", `session ${sessionId} is already prompting`);
    s.state = "prompting";
    try {
      const runtime = await this.ensureRuntime(s);
      s.promptCount++;
      this.record(s, { sessionUpdate: "user_message_chunk", content: { type: "text", text } });
      return await runtime.prompt(text);
    } finally {
      this.rejectPending(s, "the prompt ended");
      if (s.state === "prompting") s.state = "idle";
    }
  }

  /** Stop the running prompt: `sendPrompt` resolves with `stopReason: "cancelled"`. */
  cancelPrompt(sessionId: string): void {
    const s = this.get(sessionId);
    if (s.state !== "prompting") return;
    this.rejectPending(s, "the prompt was cancelled");
    s.runtime?.cancel();
  }

  /** Stop the session's agent. Its transcript stays (listed, in snapshots); it takes no more prompts. */
  closeSession(sessionId: string): void {
    void this.close(this.get(sessionId));
  }

  private close(s: SessionRecord): Promise<void> {
    this.rejectPending(s, "the session was closed");
    s.state = "closed";
    return Promise.resolve(s.runtime?.dispose()).catch(() => {});
  }

  /** Close the session and forget it, transcript included. */
  destroySession(sessionId: string): void {
    this.closeSession(sessionId);
    this.sessions.delete(sessionId);
  }

  listSessions(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => ({
      sessionId: s.id,
      agentType: s.agentType,
      cwd: s.cwd,
      model: s.runtime?.modelName() ?? describeModel(s.options.model),
      state: s.state,
      createdAt: s.createdAt,
      eventCount: s.events.length,
      promptCount: s.promptCount,
    }));
  }

  /** The transcript, optionally only the events after `since` (a `seq`). */
  getSessionEvents(sessionId: string, options: { since?: number } = {}): SessionEventRecord[] {
    const s = this.get(sessionId);
    const since = options.since ?? 0;
    return s.events.filter((e) => e.seq > since);
  }

  /** Switch the session's model; takes effect from the next model request. */
  async setModel(sessionId: string, model: ModelSpec): Promise<void> {
    const s = this.get(sessionId);
    if (s.state === "closed") throw new SessionError("ECLOSED", `session ${sessionId} is closed`);
    const runtime = await this.ensureRuntime(s);
    await runtime.setModel(model);
    s.options.model = model;
  }

  /** Answer a `permissionRequest`. Returns false if it is not (or no longer) pending. */
  respondPermission(sessionId: string, permissionId: string, response: PermissionResponse): boolean {
    const s = this.get(sessionId);
    const pending = s.pending.get(permissionId);
    if (!pending) return false;
    if (response !== "once" && response !== "always" && response !== "reject") {
      throw new SessionError("ENOPERMISSION", `invalid permission response ${JSON.stringify(response)}`);
    }
    pending.settle(response);
    return true;
  }

  /** Permission requests waiting for an answer. */
  pendingPermissions(sessionId: string): PermissionRequest[] {
    return [...this.get(sessionId).pending.values()].map((p) => p.request);
  }

  /** Close every session (the VM is going away); resolves when their agents have stopped. */
  async dispose(): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].filter((s) => s.state !== "closed").map((s) => this.close(s)),
    );
  }

  // ------------------------------------------------------------------ snapshots

  /** Every session as bytes, for the VM snapshot's `SESS` section. Secret env values are left out. */
  toSnapshotSection(): Uint8Array {
    return this.encode(false);
  }

  /**
   * The sessions copied for another VM of this process (e.g. a `fork()`): same transcripts and
   * conversations, secrets included, new agents started on first use.
   */
  cloneFor(vm: SessionVm, emit: SessionEmit): SessionManager {
    return SessionManager.fromSnapshotSection(this.encode(true), vm, emit, {
      ...this.options,
      restoreEnv: undefined,
    });
  }

  private encode(includeSecrets: boolean): Uint8Array {
    const sessions: StoredSession[] = [...this.sessions.values()].map((s) => {
      const env: Record<string, string> = {};
      const redacted = new Set(s.redactedEnv);
      for (const [k, v] of Object.entries(s.env)) {
        if (!includeSecrets && SECRET_ENV.test(k)) redacted.add(k);
        else env[k] = v;
      }
      const { env: _env, ...options } = s.options;
      return {
        id: s.id,
        agentType: s.agentType,
        cwd: s.cwd,
        env,
        redactedEnv: [...redacted],
        options,
        createdAt: s.createdAt,
        closed: s.state === "closed",
        events: s.events,
        seq: s.seq,
        promptCount: s.promptCount,
        alwaysAllowed: [...s.alwaysAllowed],
        runtimeState: s.runtime ? s.runtime.exportState() : s.restoredState,
      };
    });
    return new TextEncoder().encode(JSON.stringify({ version: SECTION_VERSION, sessions }));
  }

  /**
   * Sessions from a snapshot section (none if `bytes` is undefined). Secrets were not stored: pass
   * them again in `options.restoreEnv` (merged into every restored session's env). Agents start on
   * the first prompt or `setModel`.
   */
  static fromSnapshotSection(
    bytes: Uint8Array | undefined,
    vm: SessionVm,
    emit: SessionEmit,
    options: SessionManagerOptions = {},
  ): SessionManager {
    const manager = new SessionManager(vm, emit, options);
    if (!bytes) return manager;
    let parsed: { version: number; sessions: StoredSession[] };
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new SessionError("EAGENT", `the sessions section is not valid JSON: ${(e as Error).message}`);
    }
    if (parsed.version !== SECTION_VERSION || !Array.isArray(parsed.sessions)) {
      throw new SessionError("EAGENT", `unsupported sessions section version ${parsed.version}`);
    }
    for (const stored of parsed.sessions) {
      const env = { ...stored.env, ...options.restoreEnv };
      const record = manager.newRecord(stored.id, stored.agentType, stored.cwd, { ...stored.options, env });
      record.createdAt = stored.createdAt;
      record.state = stored.closed ? "closed" : "idle";
      record.events = stored.events;
      record.seq = stored.seq;
      record.promptCount = stored.promptCount;
      record.redactedEnv = stored.redactedEnv.filter((k) => !(options.restoreEnv && k in options.restoreEnv));
      record.alwaysAllowed = new Set(stored.alwaysAllowed);
      record.restoredState = stored.runtimeState;
      manager.sessions.set(record.id, record);
    }
    return manager;
  }

  // ------------------------------------------------------------------ internals

  private runtimeFor(agentType: string): AgentRuntime {
    const runtime = this.runtimes[agentType];
    if (!runtime) {
      throw new SessionError(
        "EAGENT",
        `unknown agent type ${JSON.stringify(agentType)} (known: ${Object.keys(this.runtimes).join(", ")})`,
      );
    }
    return runtime;
  }

  private newRecord(
    id: string,
    agentType: string,
    cwd: string,
    options: CreateSessionOptions,
  ): SessionRecord {
    return {
      id,
      agentType,
      cwd,
      // Never the host's environment: only what the caller passed.
      env: { ...options.env },
      options: { ...options },
      createdAt: Date.now(),
      state: "idle",
      events: [],
      seq: 0,
      promptCount: 0,
      redactedEnv: [],
      alwaysAllowed: new Set(),
      pending: new Map(),
      nextPermission: 1,
    };
  }

  private get(sessionId: string): SessionRecord {
    const s = this.sessions.get(sessionId);
    if (!s) throw new SessionError("ENOSESSION", `no session ${sessionId}`);
    return s;
  }

  private async ensureRuntime(s: SessionRecord): Promise<RuntimeSession> {
    if (s.runtime) return s.runtime;
    s.runtime = await this.runtimeFor(s.agentType).create(this.contextFor(s), s.restoredState);
    s.restoredState = undefined;
    return s.runtime;
  }

  private contextFor(s: SessionRecord): RuntimeContext {
    return {
      sessionId: s.id,
      vm: this.vm,
      cwd: s.cwd,
      env: s.env,
      options: s.options,
      update: (update) => this.record(s, update),
      authorize: (call) => this.authorize(s, call),
    };
  }

  private record(s: SessionRecord, update: AcpSessionUpdate): void {
    const event = notification(s.id, update);
    const seq = ++s.seq;
    s.events.push({ seq, at: Date.now(), event });
    const payload: SessionEventPayload = { sessionId: s.id, seq, event };
    try {
      this.emit("sessionEvent", payload);
    } catch {
      // A throwing listener must not break the agent's turn; the event is in the transcript.
    }
  }

  private modeFor(s: SessionRecord, toolName: string): PermissionMode {
    const policy = s.options.permissions ?? this.options.permissions ?? "allow";
    if (typeof policy === "string") return policy;
    return policy[toolName] ?? policy["*"] ?? "allow";
  }

  private async authorize(
    s: SessionRecord,
    call: Parameters<RuntimeContext["authorize"]>[0],
  ): Promise<{ allowed: true } | { allowed: false; reason: string }> {
    const mode = this.modeFor(s, call.toolName);
    if (mode === "allow" || s.alwaysAllowed.has(call.toolName)) return { allowed: true };
    if (mode === "deny") {
      return {
        allowed: false,
        reason: `Permission denied: the ${call.toolName} tool is not allowed in this session`,
      };
    }
    const permissionId = `perm-${s.nextPermission++}`;
    const request: PermissionRequest = {
      sessionId: s.id,
      permissionId,
      toolCall: {
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        title: call.title,
        kind: call.kind,
        rawInput: call.rawInput,
      },
      options: PERMISSION_OPTIONS,
    };
    const timeoutMs = this.options.permissionTimeoutMs ?? 60_000;
    const answer = await new Promise<{ response: PermissionResponse; why?: string }>((resolve) => {
      let done = false;
      const settle = (response: PermissionResponse, why?: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        call.signal?.removeEventListener("abort", onAbort);
        s.pending.delete(permissionId);
        resolve({ response, why });
      };
      const timer = setTimeout(() => settle("reject", `no answer within ${timeoutMs} ms`), timeoutMs);
      const onAbort = () => settle("reject", "the prompt was cancelled");
      if (call.signal?.aborted) return onAbort();
      call.signal?.addEventListener("abort", onAbort, { once: true });
      s.pending.set(permissionId, { request, settle });
      let listened: boolean | undefined;
      try {
        listened = this.emit("permissionRequest", request);
      } catch (e) {
        return settle("reject", `a permissionRequest listener failed: ${(e as Error)?.message ?? e}`);
      }
      const hook = this.options.onPermissionRequest;
      if (hook) {
        Promise.resolve()
          .then(() => hook(s.id, request))
          .then(
            (r) => {
              if (r) settle(r);
              else if (listened === false) settle("reject", "no one answered the permission request");
            },
            (e: unknown) => settle("reject", `the permission hook failed: ${(e as Error)?.message ?? e}`),
          );
      } else if (listened === false) {
        settle("reject", "no one is listening for permission requests");
      }
    });
    if (answer.response === "always") s.alwaysAllowed.add(call.toolName);
    if (answer.response !== "reject") return { allowed: true };
    return {
      allowed: false,
      reason: `Permission denied: the user did not approve this ${call.toolName} call${answer.why ? ` (${answer.why})` : ""}`,
    };
  }

  private rejectPending(s: SessionRecord, why: string): void {
    for (const p of [...s.pending.values()]) p.settle("reject", why);
  }
}

function describeModel(model: ModelSpec | undefined): string {
  if (!model) return "default";
  if (typeof model === "string") return model;
  return `${model.provider}/${model.id}`;
}
