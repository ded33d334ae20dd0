/**
 * The subset of the Agent Client Protocol (ACP) that sessions speak: `session/update`
 * notifications, tool-call content and permission requests. Shapes follow the ACP schema
 * (https://agentclientprotocol.com/protocol/schema) so existing ACP clients can consume the stream;
 * they are declared here so the core library does not depend on `@agentclientprotocol/sdk`.
 */

export type AcpContentBlock =
  | { type: "text"; text: string }
  | { type: "image"; data: string; mimeType: string }
  | { type: "resource_link"; uri: string; name: string };

export type AcpToolKind =
  | "read"
  | "edit"
  | "delete"
  | "move"
  | "search"
  | "execute"
  | "think"
  | "fetch"
  | "other";

export type AcpToolCallStatus = "pending" | "in_progress" | "completed" | "failed";

export type AcpToolCallContent =
  | { type: "content"; content: AcpContentBlock }
  | { type: "diff"; path: string; oldText: string | null; newText: string };

export interface AcpToolCallLocation {
  path: string;
  line?: number;
}

export interface AcpPlanEntry {
  content: string;
  priority: "high" | "medium" | "low";
  status: "pending" | "in_progress" | "completed";
}

export type AcpSessionUpdate =
  | { sessionUpdate: "user_message_chunk"; content: AcpContentBlock }
  | { sessionUpdate: "agent_message_chunk"; content: AcpContentBlock }
  | { sessionUpdate: "agent_thought_chunk"; content: AcpContentBlock }
  | {
      sessionUpdate: "tool_call";
      toolCallId: string;
      title: string;
      kind: AcpToolKind;
      status: AcpToolCallStatus;
      rawInput?: unknown;
      content?: AcpToolCallContent[];
      locations?: AcpToolCallLocation[];
      /** `{ toolName }`: the agent's own name for the tool. */
      _meta?: { toolName?: string; [key: string]: unknown };
    }
  | {
      sessionUpdate: "tool_call_update";
      toolCallId: string;
      status?: AcpToolCallStatus;
      title?: string;
      kind?: AcpToolKind;
      rawInput?: unknown;
      rawOutput?: unknown;
      content?: AcpToolCallContent[];
      locations?: AcpToolCallLocation[];
    }
  | { sessionUpdate: "plan"; entries: AcpPlanEntry[] };

/** A JSON-RPC `session/update` notification, exactly as an ACP agent sends it to its client. */
export interface AcpSessionNotification {
  jsonrpc: "2.0";
  method: "session/update";
  params: { sessionId: string; update: AcpSessionUpdate };
}

/** ACP stop reasons for a prompt turn. */
export type AcpStopReason = "end_turn" | "max_tokens" | "max_turn_requests" | "refusal" | "cancelled";

export type AcpPermissionOptionKind = "allow_once" | "allow_always" | "reject_once" | "reject_always";

export interface AcpPermissionOption {
  optionId: string;
  name: string;
  kind: AcpPermissionOptionKind;
}

export function notification(sessionId: string, update: AcpSessionUpdate): AcpSessionNotification {
  return { jsonrpc: "2.0", method: "session/update", params: { sessionId, update } };
}
