import { SessionManager, type SessionManagerOptions } from "../../src/agents/index.ts";
import type { PermissionRequest, SessionEventPayload } from "../../src/agents/types.ts";
import { AgentOS } from "../../src/vm.ts";

export interface Harness {
  vm: AgentOS;
  sessions: SessionManager;
  events: SessionEventPayload[];
  permissionRequests: PermissionRequest[];
  /** Listeners for permission requests (set before prompting). */
  onPermission?: (request: PermissionRequest) => void;
  dispose(): Promise<void>;
}

/** A VM with a session manager attached the way `AgentOS` attaches it. */
export async function harness(options: SessionManagerOptions = {}, vm?: AgentOS): Promise<Harness> {
  const machine = vm ?? (await AgentOS.create());
  const h: Harness = {
    vm: machine,
    events: [],
    permissionRequests: [],
    sessions: undefined as unknown as SessionManager,
    dispose: async () => {
      await h.sessions.dispose();
      await machine.dispose();
    },
  };
  h.sessions = new SessionManager(machine, emitterFor(h), options);
  return h;
}

export function emitterFor(h: Harness) {
  return (name: "sessionEvent" | "permissionRequest", payload: unknown): boolean => {
    if (name === "sessionEvent") {
      h.events.push(payload as SessionEventPayload);
      return true;
    }
    h.permissionRequests.push(payload as PermissionRequest);
    if (!h.onPermission) return false;
    h.onPermission(payload as PermissionRequest);
    return true;
  };
}

export function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error("timed out waiting"));
      else setTimeout(tick, 5);
    };
    tick();
  });
}
