/**
 * The "claude" agent type against the mock server, with the real adapter process
 * (@zed-industries/claude-code-acp@0.16.2). The adapter is not a dependency of agentos-vm: the test
 * uses it when it resolves from node_modules or AGENTOS_CLAUDE_ACP names its dist/index.js, and is
 * skipped (saying why) otherwise.
 */

import { existsSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import { CLAUDE_ADAPTER, claudeRuntime, resolveClaudeAdapter } from "../../src/agents/index.ts";
import { type ScriptContext, startMockLlmServer, toolCalls } from "../../src/testing/index.ts";
import { harness } from "./helpers.ts";

const adapter =
  process.env.AGENTOS_CLAUDE_ACP && existsSync(process.env.AGENTOS_CLAUDE_ACP)
    ? process.env.AGENTOS_CLAUDE_ACP
    : resolveClaudeAdapter();
if (!adapter) {
  console.warn(
    `claude.test.ts skipped: ${CLAUDE_ADAPTER}@0.16.2 is not installed (npm i --no-save ${CLAUDE_ADAPTER}@0.16.2, or set AGENTOS_CLAUDE_ACP to its dist/index.js)`,
  );
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const cwdOf = (ctx: ScriptContext) => /Working directory: (\S+)/.exec(ctx.systemPrompt)?.[1] ?? "/";

describe.skipIf(!adapter)("claude over ACP (real adapter, mock server)", () => {
  test("Write and Bash are served from the VM; a rejected call fails cleanly", {
    timeout: 60_000,
  }, async () => {
    const server = await startMockLlmServer({
      sideCalls: "ok",
      script: [
        (ctx) => ({
          toolCalls: [
            {
              name: "mcp__acp__Write",
              args: { file_path: `${cwdOf(ctx)}/hello.txt`, content: "hello vm\n" },
            },
          ],
        }),
        () => ({
          toolCalls: [
            {
              name: "mcp__acp__Bash",
              args: { command: "tr a-z A-Z < hello.txt; uname -n", timeout: 10_000, description: "shout" },
            },
          ],
        }),
        (ctx) => `Bash said: ${ctx.toolResults[0]?.text.trim()}`,
        (ctx) => ({
          toolCalls: [
            { name: "mcp__acp__Write", args: { file_path: `${cwdOf(ctx)}/denied.txt`, content: "no\n" } },
          ],
        }),
      ],
    });
    cleanups.push(() => server.close());
    const h = await harness({ runtimes: { claude: claudeRuntime({ adapterPath: adapter }) } });
    cleanups.push(() => h.dispose());
    const id = await h.sessions.createSession("claude", {
      env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: server.url },
      cwd: "/workspace/app",
      permissions: { "*": "allow", Write: "ask" },
    });
    let answer: "once" | "reject" = "once";
    h.onPermission = (r) =>
      queueMicrotask(() => h.sessions.respondPermission(r.sessionId, r.permissionId, answer));
    const r = await h.sessions.sendPrompt(id, "write hello.txt and shout it");
    expect(await h.vm.readFile("/workspace/app/hello.txt", { encoding: "utf8" })).toBe("hello vm\n");
    expect(r.text).toMatch(/^Bash said: [\s\S]*HELLO VM/);
    expect(r.text).toContain("agentos"); // uname -n ran in the VM
    const calls = toolCalls(h.sessions.getSessionEvents(id));
    expect(calls.filter((c) => c.status === "completed").length).toBeGreaterThanOrEqual(2);

    answer = "reject";
    const r2 = await h.sessions.sendPrompt(id, "write denied.txt");
    // The adapter denies with `interrupt: true`: the call fails and Claude Code ends the turn.
    expect(r2.stopReason).toBe("end_turn");
    expect(toolCalls(h.sessions.getSessionEvents(id)).at(-1)).toMatchObject({
      name: "Write",
      status: "failed",
      title: "Write /workspace/app/denied.txt",
    });
    expect(h.permissionRequests.map((p) => [p.toolCall.toolName, p.toolCall.kind])).toEqual([
      ["Write", "edit"],
      ["Write", "edit"],
    ]);
    expect(toolCalls(h.sessions.getSessionEvents(id)).map((c) => c.name)).toEqual(["Write", "Bash", "Write"]);
    expect(await h.vm.exists("/workspace/app/denied.txt")).toBe(false);
    expect(
      server.requests.filter((q) => q.path === "/v1/messages").every((q) => q.apiKey === "test-key"),
    ).toBe(true);
  });
});
