import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { acpRuntime, resolveClaudeAdapter, type SessionManagerOptions } from "../../src/agents/index.ts";
import { agentText, toolCalls } from "../../src/testing/index.ts";
import { type Harness, harness, until } from "./helpers.ts";

const FAKE = join(import.meta.dirname, "fixtures/fake-acp-agent.ts");
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: SessionManagerOptions = {}): Promise<Harness> {
  const h = await harness({
    runtimes: { fake: acpRuntime({ command: process.execPath, args: [FAKE] }) },
    ...options,
  });
  cleanups.push(() => h.dispose());
  return h;
}

describe("ACP agents (a fake agent process)", () => {
  test("fs and terminal calls are served from the VM; updates become session events", async () => {
    const h = await setup();
    const id = await h.sessions.createSession("fake", { cwd: "/workspace/acp" });
    const r = await h.sessions.sendPrompt(id, "write a file");
    expect(r).toMatchObject({ text: "Line 2 is two.", stopReason: "end_turn" });
    expect(await h.vm.readFile("/workspace/acp/out.txt", { encoding: "utf8" })).toBe("one\ntwo\nthree\n");
    const events = h.sessions.getSessionEvents(id);
    // Host paths the agent uses are shown as VM paths.
    expect(toolCalls(events)).toMatchObject([
      { title: "Write /workspace/acp/out.txt", status: "completed", kind: "edit" },
    ]);
    expect(events.map((e) => e.event.params.update.sessionUpdate)).toContain("plan");

    const run = await h.sessions.sendPrompt(id, "run it");
    expect(run.text).toBe("exit 4: 3,/home/agentos,/workspace/acp");
    expect(agentText(events)).toBe("Line 2 is two.");
  });

  test("the agent process gets a throwaway HOME and cwd and only the session env", async () => {
    const h = await setup();
    process.env.SECRET_FROM_HOST = "leak";
    cleanups.push(() => delete process.env.SECRET_FROM_HOST);
    const id = await h.sessions.createSession("fake", { env: { ANTHROPIC_API_KEY: "sk-session" } });
    const { text } = await h.sessions.sendPrompt(id, "host");
    const [home, cwd, secret, key] = text.split("|");
    expect(home).toMatch(/agentos-acp-home-/);
    // The agent runs in an empty host directory, which the client shows as the VM cwd.
    expect(cwd).toBe("/workspace");
    expect(secret).toBe("");
    expect(key).toBe("sk-session");
    h.sessions.closeSession(id);
    await until(() => !existsSync(home!));
  });

  test("permission requests go through the policy; reject is fail-closed", async () => {
    const h = await setup({ permissions: "ask" });
    const id = await h.sessions.createSession("fake");
    expect((await h.sessions.sendPrompt(id, "write")).text).toBe("I was not allowed to write.");
    expect(await h.vm.exists("/workspace/out.txt")).toBe(false);
    h.onPermission = (r) =>
      queueMicrotask(() => h.sessions.respondPermission(r.sessionId, r.permissionId, "once"));
    expect((await h.sessions.sendPrompt(id, "write")).text).toBe("Line 2 is two.");
    expect(h.permissionRequests.map((r) => r.toolCall.toolName)).toEqual(["Write", "Write"]);
  });

  test("cancel kills the running command and ends the turn", async () => {
    const h = await setup();
    const id = await h.sessions.createSession("fake");
    const p = h.sessions.sendPrompt(id, "sleep");
    await until(() => h.events.some((e) => e.event.params.update.sessionUpdate === "tool_call"));
    h.sessions.cancelPrompt(id);
    expect((await p).stopReason).toBe("cancelled");
    expect(h.vm.listProcesses().filter((x) => x.state === "running")).toEqual([]);
  });

  test("an agent that cannot start fails createSession clearly", async () => {
    const h = await harness({ runtimes: { broken: acpRuntime({ command: "/nonexistent/agent" }) } });
    cleanups.push(() => h.dispose());
    await expect(h.sessions.createSession("broken")).rejects.toThrow(
      /EAGENT: cannot start \/nonexistent\/agent/,
    );
  });

  test.skipIf(!!resolveClaudeAdapter())(
    'without the Claude adapter installed, "claude" says how to get it',
    async () => {
      const h = await setup();
      await expect(h.sessions.createSession("claude")).rejects.toThrow(
        /needs @zed-industries\/claude-code-acp@0\.16\.2: npm install/,
      );
    },
  );
});
