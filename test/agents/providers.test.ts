import { afterEach, expect, test } from "vitest";
import { agentText, reply, startMockLlmServer, toolCalls } from "../../src/testing/index.ts";
import { harness } from "./helpers.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

for (const api of ["anthropic", "openai"] as const) {
  test(`${api}: provider, key and base URL come from the session env`, async () => {
    const server = await startMockLlmServer({
      script: [
        {
          thinking: "let me write it",
          toolCalls: [{ name: "write", args: { path: "x.txt", content: "x\n" } }],
        },
        (ctx) => `saw ${ctx.toolResults.length} result(s): ${ctx.toolResults[0]?.text}`,
      ],
    });
    cleanups.push(() => server.close());
    const h = await harness();
    cleanups.push(() => h.dispose());
    const env: Record<string, string> =
      api === "anthropic"
        ? { ANTHROPIC_API_KEY: "sk-session-a", ANTHROPIC_BASE_URL: server.url }
        : { OPENAI_API_KEY: "sk-session-o", OPENAI_BASE_URL: server.openaiBaseUrl };
    const id = await h.sessions.createSession("pi", { env, additionalInstructions: "Mock run." });
    const r = await h.sessions.sendPrompt(id, "write x");
    expect(r.text).toBe("saw 1 result(s): Successfully wrote 2 bytes to x.txt");
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(await h.vm.readFile("/workspace/x.txt", { encoding: "utf8" })).toBe("x\n");
    const posts = server.requests.filter((q) => q.method === "POST");
    expect(posts.map((q) => q.apiKey)).toEqual(
      api === "anthropic" ? ["sk-session-a", "sk-session-a"] : ["sk-session-o", "sk-session-o"],
    );
    expect(JSON.stringify(posts[0]!.body)).toContain("Mock run.");
    const events = h.sessions.getSessionEvents(id);
    expect(toolCalls(events).map((c) => [c.name, c.status])).toEqual([["write", "completed"]]);
    expect(agentText(events)).toBe(r.text);
    if (api === "anthropic") {
      expect(events.some((e) => e.event.params.update.sessionUpdate === "agent_thought_chunk")).toBe(true);
    }
    expect(h.sessions.listSessions()[0]!.model).toBe(
      api === "anthropic" ? "anthropic/claude-sonnet-4-5" : "openai/gpt-5.1",
    );
  });
}

test("a provider error (HTTP 400) rejects the prompt with its message", async () => {
  const server = await startMockLlmServer({ script: [reply.error("mock overload")] });
  cleanups.push(() => server.close());
  const h = await harness();
  cleanups.push(() => h.dispose());
  const id = await h.sessions.createSession("pi", {
    env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: server.url },
    model: "anthropic/claude-haiku-4-5",
  });
  await expect(h.sessions.sendPrompt(id, "hi")).rejects.toThrow(/EAGENT: .*mock overload/);
});
