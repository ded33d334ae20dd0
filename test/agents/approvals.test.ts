import { afterEach, describe, expect, test } from "vitest";
import type { PermissionResponse, SessionManagerOptions } from "../../src/agents/index.ts";
import { assertToolCalls, reply, scriptedModel } from "../../src/testing/index.ts";
import { type Harness, harness } from "./helpers.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A session whose model makes `calls` bash calls (each writes a file), then reports what it saw. */
async function run(
  options: SessionManagerOptions,
  answer: ((h: Harness, request: { sessionId: string; permissionId: string }) => void) | undefined,
  calls = 1,
  sessionPolicy?: Parameters<Harness["sessions"]["createSession"]>[1],
) {
  const h = await harness(options);
  cleanups.push(() => h.dispose());
  if (answer) h.onPermission = (request) => answer(h, request);
  const steps = [];
  for (let i = 1; i <= calls; i++)
    steps.push(reply.tool("bash", { command: `echo ${i} > /workspace/f${i}.txt` }));
  steps.push((ctx: { toolResults: Array<{ text: string; isError: boolean }> }) =>
    ctx.toolResults.map((r) => `${r.isError ? "denied" : "ran"}: ${r.text.trim()}`).join(" | "),
  );
  const m = scriptedModel(steps);
  cleanups.push(() => m.dispose());
  const id = await h.sessions.createSession("pi", { model: m.model, ...sessionPolicy });
  const results = [];
  for (let i = 0; i < calls; i++) results.push(await h.sessions.sendPrompt(id, `step ${i}`));
  return { h, id, results, m };
}

// One tool call per prompt: the script answers each prompt's call with the next step.
function respond(response: PermissionResponse) {
  return (h: Harness, r: { sessionId: string; permissionId: string }) =>
    queueMicrotask(() => h.sessions.respondPermission(r.sessionId, r.permissionId, response));
}

describe("approvals", () => {
  test("ask + once: the call runs after approval; every call asks again", async () => {
    const h = await harness({ permissions: "ask" });
    cleanups.push(() => h.dispose());
    h.onPermission = (r) =>
      queueMicrotask(() => h.sessions.respondPermission(r.sessionId, r.permissionId, "once"));
    const m = scriptedModel([
      reply.tool("bash", { command: "echo 1 > /workspace/f1.txt" }),
      reply.tool("bash", { command: "echo 2 > /workspace/f2.txt" }),
      "done",
    ]);
    cleanups.push(() => m.dispose());
    const id = await h.sessions.createSession("pi", { model: m.model });
    expect((await h.sessions.sendPrompt(id, "go")).text).toBe("done");
    expect(await h.vm.readFile("/workspace/f2.txt", { encoding: "utf8" })).toBe("2\n");
    expect(h.permissionRequests).toHaveLength(2);
    expect(h.permissionRequests[0]).toMatchObject({
      sessionId: id,
      permissionId: "perm-1",
      toolCall: { toolName: "bash", kind: "execute", title: "echo 1 > /workspace/f1.txt" },
      options: [{ kind: "allow_once" }, { kind: "allow_always" }, { kind: "reject_once" }],
    });
    // The transcript shows pending → in_progress → completed.
    const statuses = h.sessions
      .getSessionEvents(id)
      .map((e) => e.event.params.update)
      .filter((u) => "toolCallId" in u && u.toolCallId === h.permissionRequests[0]!.toolCall.toolCallId)
      .map((u) => (u as { status?: string }).status);
    expect(statuses).toEqual(["pending", "in_progress", "completed"]);
  });

  test("always: approves this tool for the rest of the session", async () => {
    const h = await harness({ permissions: { bash: "ask", "*": "allow" } });
    cleanups.push(() => h.dispose());
    h.onPermission = (r) =>
      queueMicrotask(() => h.sessions.respondPermission(r.sessionId, r.permissionId, "always"));
    const m = scriptedModel([
      reply.tool("bash", { command: "echo 1 > /workspace/f1.txt" }),
      reply.tool("write", { path: "/workspace/w.txt", content: "w" }),
      reply.tool("bash", { command: "echo 2 > /workspace/f2.txt" }),
      "done",
    ]);
    cleanups.push(() => m.dispose());
    const id = await h.sessions.createSession("pi", { model: m.model });
    await h.sessions.sendPrompt(id, "go");
    expect(h.permissionRequests).toHaveLength(1);
    expect(await h.vm.exists("/workspace/f2.txt")).toBe(true);
    expect(await h.vm.exists("/workspace/w.txt")).toBe(true);
  });

  test("reject: the agent sees a denied tool call and nothing runs", async () => {
    const { h, results, id } = await run({ permissions: "ask" }, respond("reject"));
    expect(results[0]!.text).toMatch(/^denied: Permission denied: the user did not approve this bash call/);
    expect(await h.vm.exists("/workspace/f1.txt")).toBe(false);
    assertToolCalls(h.sessions.getSessionEvents(id), [
      { name: "bash", status: "failed", output: "Permission denied" },
    ]);
  });

  test("fail-closed: nobody listening → rejected at once", async () => {
    const started = Date.now();
    const { h, results } = await run({ permissions: "ask" }, undefined);
    expect(results[0]!.text).toMatch(/denied: .*no one is listening/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await h.vm.exists("/workspace/f1.txt")).toBe(false);
  });

  test("fail-closed: no answer within the timeout → rejected", async () => {
    const { h, results, id } = await run({ permissions: "ask", permissionTimeoutMs: 100 }, () => {});
    expect(results[0]!.text).toMatch(/denied: .*no answer within 100 ms/);
    expect(await h.vm.exists("/workspace/f1.txt")).toBe(false);
    expect(h.sessions.pendingPermissions(id)).toEqual([]);
    expect(h.sessions.respondPermission(id, "perm-1", "once")).toBe(false);
  });

  test("the onPermissionRequest hook answers; deny policy and per-session policy", async () => {
    const seen: string[] = [];
    const { h, results } = await run(
      {
        permissions: "ask",
        onPermissionRequest: async (_sessionId, r) => {
          seen.push(r.toolCall.title);
          return "once" as const;
        },
      },
      undefined,
    );
    expect(seen).toEqual(["echo 1 > /workspace/f1.txt"]);
    expect(results[0]!.text).toBe("ran: (no output)");
    expect(await h.vm.exists("/workspace/f1.txt")).toBe(true);

    const denied = await run({}, undefined, 1, { permissions: { bash: "deny" } });
    expect(denied.results[0]!.text).toMatch(/denied: Permission denied: the bash tool is not allowed/);
    expect(denied.h.permissionRequests).toEqual([]);
  });

  test("cancelling while a request waits rejects it and ends the prompt", async () => {
    const h = await harness({ permissions: "ask" });
    cleanups.push(() => h.dispose());
    let asked = false;
    h.onPermission = () => {
      asked = true;
    };
    const m = scriptedModel([reply.tool("bash", { command: "echo x > /workspace/x.txt" })]);
    cleanups.push(() => m.dispose());
    const id = await h.sessions.createSession("pi", { model: m.model });
    const p = h.sessions.sendPrompt(id, "go");
    while (!asked) await new Promise((r) => setTimeout(r, 2));
    expect(h.sessions.pendingPermissions(id)).toHaveLength(1);
    h.sessions.cancelPrompt(id);
    expect((await p).stopReason).toBe("cancelled");
    expect(await h.vm.exists("/workspace/x.txt")).toBe(false);
  });
});
