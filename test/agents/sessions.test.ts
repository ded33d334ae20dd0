import { afterEach, describe, expect, test } from "vitest";
import { SessionManager } from "../../src/agents/index.ts";
import {
  agentText,
  assertToolCalls,
  assertTranscript,
  reply,
  type ScriptedModel,
  scriptedModel,
  toolCalls,
  userPrompts,
} from "../../src/testing/index.ts";
import { AgentOS } from "../../src/vm.ts";
import { emitterFor, type Harness, harness, until } from "./helpers.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const h = await harness(options);
  cleanups.push(() => h.dispose());
  return h;
}

function model(...args: Parameters<typeof scriptedModel>): ScriptedModel {
  const m = scriptedModel(...args);
  cleanups.push(() => m.dispose());
  return m;
}

describe("pi sessions", () => {
  test("a multi-turn session writes, edits, runs and reads files in the VM", async () => {
    const h = await setup();
    const m = model([
      reply.tool("write", { path: "src/greet.sh", content: 'echo "hello $1"\n' }, "Writing the script."),
      reply.tool("bash", { command: "sh src/greet.sh world" }),
      (ctx) => `The script printed: ${ctx.toolResults[0]!.text.trim()}`,
      reply.tool("edit", { path: "src/greet.sh", edits: [{ oldText: "hello", newText: "goodbye" }] }),
      reply.tool("ls", { path: "src" }),
      reply.tool("read", { path: "/workspace/src/greet.sh" }),
      (ctx) => ({ thinking: "all done", text: `Now it reads: ${ctx.toolResults[0]!.text.trim()}` }),
    ]);
    const id = await h.sessions.createSession("pi", { model: m.model });
    const first = await h.sessions.sendPrompt(id, "Write a greeting script and run it");
    expect(first.stopReason).toBe("end_turn");
    expect(first.text).toBe("The script printed: hello world");
    expect(first.usage.totalTokens).toBeGreaterThan(0);

    const second = await h.sessions.sendPrompt(id, "Make it say goodbye");
    expect(second.text).toBe('Now it reads: echo "goodbye $1"');
    expect(await h.vm.readFile("/workspace/src/greet.sh", { encoding: "utf8" })).toBe('echo "goodbye $1"\n');
    expect((await h.vm.exec("sh /workspace/src/greet.sh you")).stdout).toBe("goodbye you\n");

    const events = h.sessions.getSessionEvents(id);
    assertTranscript(events, {
      prompts: ["Write a greeting script and run it", "Make it say goodbye"],
      text: "The script printed: hello world",
      toolCalls: [
        { name: "write", status: "completed", input: { path: "src/greet.sh" } },
        { name: "bash", status: "completed", output: "hello world" },
        { name: "edit", status: "completed" },
        { name: "ls", status: "completed", output: "greet.sh" },
        { name: "read", status: "completed", output: "goodbye" },
      ],
    });
    // The live stream and the transcript are the same events.
    expect(h.events.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect(events.every((e) => e.event.method === "session/update" && e.event.params.sessionId === id)).toBe(
      true,
    );
    const kinds = new Set(events.map((e) => e.event.params.update.sessionUpdate));
    for (const k of [
      "user_message_chunk",
      "agent_message_chunk",
      "agent_thought_chunk",
      "tool_call",
      "tool_call_update",
    ]) {
      expect(kinds).toContain(k);
    }
    const writeCall = events.find((e) => e.event.params.update.sessionUpdate === "tool_call")!.event.params
      .update;
    expect(writeCall).toMatchObject({
      kind: "edit",
      status: "pending",
      locations: [{ path: "/workspace/src/greet.sh" }],
      content: [{ type: "diff", path: "/workspace/src/greet.sh", oldText: null }],
    });
    // `since` returns the tail.
    const since = events[5]!.seq;
    expect(h.sessions.getSessionEvents(id, { since }).map((e) => e.seq)).toEqual(
      events.slice(6).map((e) => e.seq),
    );

    const [info] = h.sessions.listSessions();
    expect(info).toMatchObject({
      sessionId: id,
      agentType: "pi",
      cwd: "/workspace",
      state: "idle",
      promptCount: 2,
    });
    expect(info!.model).toBe("scripted/scripted");
  });

  test("the agent's commands get the session env, never the host's, and no provider keys", async () => {
    const h = await setup();
    process.env.AGENTOS_HOST_SECRET = "host-only";
    cleanups.push(() => delete process.env.AGENTOS_HOST_SECRET);
    const m = model([
      reply.tool("bash", { command: 'echo "[$GREETING][$AGENTOS_HOST_SECRET][$ANTHROPIC_API_KEY]"; pwd' }),
      "ok",
    ]);
    const id = await h.sessions.createSession("pi", {
      model: m.model,
      cwd: "/workspace/project",
      env: { GREETING: "hi", ANTHROPIC_API_KEY: "sk-session" },
    });
    await h.sessions.sendPrompt(id, "env?");
    expect(toolCalls(h.sessions.getSessionEvents(id))[0]!.output).toBe("[hi][][]\n/workspace/project\n");
  });

  test("grep, find and plan work on the VM", async () => {
    const h = await setup();
    await h.vm.writeFile("/workspace/a/one.ts", "const x = 1;\nexport const TODO = 2;\n", {
      createParents: true,
    });
    await h.vm.writeFile("/workspace/a/node_modules/dep.ts", "TODO\n", { createParents: true });
    await h.vm.writeFile("/workspace/b.md", "# todo list\n");
    const m = model([
      reply.tools(
        { name: "grep", args: { pattern: "todo", ignoreCase: true } },
        { name: "grep", args: { pattern: "TODO", glob: "*.md" } },
        { name: "find", args: { pattern: "**/*.ts" } },
        {
          name: "plan",
          args: {
            entries: [
              { content: "look", status: "completed" },
              { content: "fix", status: "in_progress", priority: "high" },
            ],
          },
        },
      ),
      "done",
    ]);
    const id = await h.sessions.createSession("pi", { model: m.model });
    await h.sessions.sendPrompt(id, "search");
    const calls = toolCalls(h.sessions.getSessionEvents(id));
    expect(calls[0]!.output).toBe("a/one.ts:2: export const TODO = 2;\nb.md:1: # todo list");
    expect(calls[1]!.output).toBe("No matches found");
    expect(calls[2]!.output).toBe("a/one.ts");
    const plan = h.sessions
      .getSessionEvents(id)
      .map((e) => e.event.params.update)
      .find((u) => u.sessionUpdate === "plan");
    expect(plan).toEqual({
      sessionUpdate: "plan",
      entries: [
        { content: "look", status: "completed", priority: "medium" },
        { content: "fix", status: "in_progress", priority: "high" },
      ],
    });
  });

  test("long command output is capped, and the full output is kept in the VM, not the host", async () => {
    const h = await setup();
    const m = model([reply.tool("bash", { command: "seq 1 30000" }), "ok"]);
    const id = await h.sessions.createSession("pi", { model: m.model });
    await h.sessions.sendPrompt(id, "count");
    const out = toolCalls(h.sessions.getSessionEvents(id))[0]!.output;
    const file = /full output is in (\/tmp\/agentos-bash-[a-z0-9-]+\.log)/.exec(out)?.[1];
    expect(file).toBeDefined();
    expect(out).toContain("\n30000");
    expect(out).not.toMatch(/\n1\n/);
    const full = await h.vm.readFile(file!, { encoding: "utf8" });
    expect(full.split("\n").length).toBe(30001);
  });

  test("a failing command is a failed tool call the agent sees", async () => {
    const h = await setup();
    const m = model([
      reply.tool("bash", { command: "echo broken >&2; exit 3" }),
      (ctx) => `saw: ${ctx.toolResults[0]!.isError} ${ctx.toolResults[0]!.text.trim()}`,
    ]);
    const id = await h.sessions.createSession("pi", { model: m.model });
    const r = await h.sessions.sendPrompt(id, "run");
    expect(r.text).toMatch(/^saw: true broken\n+Command exited with code 3$/);
    assertToolCalls(h.sessions.getSessionEvents(id), [{ name: "bash", status: "failed", output: "code 3" }]);
  });

  test("provider errors reject sendPrompt; the session stays usable", async () => {
    const h = await setup();
    const m = model([reply.error("overloaded"), "recovered"]);
    const id = await h.sessions.createSession("pi", { model: m.model });
    await expect(h.sessions.sendPrompt(id, "one")).rejects.toThrow(/EAGENT: overloaded/);
    expect((await h.sessions.sendPrompt(id, "two")).text).toBe("recovered");
  });

  test("cancel mid-command and mid-stream: stopReason cancelled, the command is killed", async () => {
    const h = await setup();
    const m = model([reply.tool("bash", { command: "sleep 20; echo late > /workspace/late.txt" })]);
    const id = await h.sessions.createSession("pi", { model: m.model });
    const started = Date.now();
    const pending = h.sessions.sendPrompt(id, "sleep");
    await until(() =>
      h.events.some((e) => (e.event.params.update as { status?: string }).status === "in_progress"),
    );
    expect(h.sessions.listSessions()[0]!.state).toBe("prompting");
    await expect(h.sessions.sendPrompt(id, "again")).rejects.toThrow(/EBUSY/);
    h.sessions.cancelPrompt(id);
    const r = await pending;
    expect(r.stopReason).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await h.vm.exists("/workspace/late.txt")).toBe(false);
    expect(h.vm.listProcesses().filter((p) => p.state === "running")).toEqual([]);
    assertToolCalls(h.sessions.getSessionEvents(id), [{ name: "bash", status: "failed" }]);

    // Mid-stream: a slow reply is cut off.
    const slow = model(["word ".repeat(400)], { tokensPerSecond: 200 });
    await h.sessions.setModel(id, slow.model);
    const streaming = h.sessions.sendPrompt(id, "talk");
    await until(() => agentText(h.sessions.getSessionEvents(id), { lastTurnOnly: true }).length > 10);
    h.sessions.cancelPrompt(id);
    const r2 = await streaming;
    expect(r2.stopReason).toBe("cancelled");
    expect(agentText(h.sessions.getSessionEvents(id), { lastTurnOnly: true }).length).toBeLessThan(2000);

    // And the session goes on.
    slow.push("back");
    expect((await h.sessions.sendPrompt(id, "hello")).text).toBe("back");
  });

  test("two sessions in one VM share its filesystem and run concurrently", async () => {
    const h = await setup();
    const a = model([
      reply.tool("bash", { command: "sleep 0.2; echo from-a > /workspace/shared/a.txt" }),
      reply.tool("read", { path: "/workspace/shared/b.txt" }),
      (ctx) => `a read: ${ctx.toolResults[0]!.text.trim()}`,
    ]);
    const b = model([
      reply.tool("write", { path: "/workspace/shared/b.txt", content: "from-b\n" }),
      "b done",
    ]);
    const idA = await h.sessions.createSession("pi", { model: a.model, cwd: "/workspace/shared" });
    const idB = await h.sessions.createSession("pi", { model: b.model, cwd: "/workspace/shared" });
    expect(idA).not.toBe(idB);
    const [ra, rb] = await Promise.all([h.sessions.sendPrompt(idA, "go"), h.sessions.sendPrompt(idB, "go")]);
    expect(ra.text).toBe("a read: from-b");
    expect(rb.text).toBe("b done");
    expect(await h.vm.readFile("/workspace/shared/a.txt", { encoding: "utf8" })).toBe("from-a\n");
    expect(h.sessions.listSessions().map((s) => s.sessionId)).toEqual([idA, idB]);
    // Each transcript has only its own events.
    expect(toolCalls(h.sessions.getSessionEvents(idB)).map((c) => c.name)).toEqual(["write"]);
    expect(new Set(h.events.map((e) => e.sessionId))).toEqual(new Set([idA, idB]));

    h.sessions.closeSession(idA);
    expect(h.sessions.listSessions()[0]!.state).toBe("closed");
    await expect(h.sessions.sendPrompt(idA, "more")).rejects.toThrow(/ECLOSED/);
    expect(h.sessions.getSessionEvents(idA).length).toBeGreaterThan(0);
    h.sessions.destroySession(idA);
    expect(h.sessions.listSessions().map((s) => s.sessionId)).toEqual([idB]);
    expect(() => h.sessions.getSessionEvents(idA)).toThrow(/ENOSESSION/);
  });

  test("transcripts and conversations round-trip through the snapshot section", async () => {
    const h = await setup();
    const m = model([
      reply.tool("write", { path: "notes.txt", content: "remember: 42\n" }),
      "Noted.",
      (ctx) => `Earlier you said: ${ctx.messages.find((x) => x.role === "user")!.text}`,
    ]);
    const id = await h.sessions.createSession("pi", {
      model: m.model,
      env: { ANTHROPIC_API_KEY: "sk-secret", GH_TOKEN: "ghp-secret", COLOR: "blue" },
      additionalInstructions: "Be brief.",
    });
    await h.sessions.sendPrompt(id, "remember 42");
    const closed = await h.sessions.createSession("pi", { model: m.model });
    h.sessions.closeSession(closed);
    const before = h.sessions.getSessionEvents(id);

    const section = h.sessions.toSnapshotSection();
    const text = new TextDecoder().decode(section);
    expect(text).not.toContain("sk-secret");
    expect(text).not.toContain("ghp-secret");
    expect(text).toContain("blue");

    // A restored VM (files) plus the restored section (sessions).
    const vm2 = await AgentOS.restore(await h.vm.snapshot());
    const h2: Harness = {
      vm: vm2,
      events: [],
      permissionRequests: [],
      sessions: undefined as never,
      dispose: async () => {},
    };
    h2.sessions = SessionManager.fromSnapshotSection(section, vm2, emitterFor(h2), {
      restoreEnv: { ANTHROPIC_API_KEY: "sk-new" },
    });
    cleanups.push(async () => {
      await h2.sessions.dispose();
      await vm2.dispose();
    });
    const list = h2.sessions.listSessions();
    expect(list.map((s) => [s.sessionId, s.state, s.promptCount])).toEqual([
      [id, "idle", 1],
      [closed, "closed", 0],
    ]);
    expect(h2.sessions.getSessionEvents(id)).toEqual(before);

    const r = await h2.sessions.sendPrompt(id, "what did I say?");
    expect(r.text).toBe("Earlier you said: remember 42");
    expect(await vm2.readFile("/workspace/notes.txt", { encoding: "utf8" })).toBe("remember: 42\n");
    const after = h2.sessions.getSessionEvents(id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]!.seq).toBe(before.at(-1)!.seq + 1);
    expect(userPrompts(after)).toEqual(["remember 42", "what did I say?"]);
    // The conversation the model saw continued the original one, system prompt included.
    expect(m.requests.at(-1)!.messages.map((x) => x.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    expect(m.requests.at(-1)!.systemPrompt).toContain("Be brief.");

    // A section round-trips again unchanged in shape.
    const again = SessionManager.fromSnapshotSection(h2.sessions.toSnapshotSection(), vm2, () => true);
    expect(again.getSessionEvents(id)).toEqual(after);
    // The secret passed at restore is in the session's env again, and kept by a clone (not by a snapshot).
    const clone = h2.sessions.cloneFor(vm2, () => true);
    expect(new TextDecoder().decode(clone.toSnapshotSection())).not.toContain("sk-new");
    expect(clone.listSessions().map((s) => s.sessionId)).toEqual([id, closed]);
  });

  test("cloneFor (fork): a copy of the sessions, secrets kept, on the other VM", async () => {
    const h = await setup();
    const m = model([
      "first",
      reply.tool("bash", { command: "echo $GH_TOKEN > /workspace/t.txt" }),
      "cloned",
    ]);
    const id = await h.sessions.createSession("pi", { model: m.model, env: { GH_TOKEN: "ghp-1" } });
    await h.sessions.sendPrompt(id, "one");
    const fork = await h.vm.fork();
    cleanups.push(() => fork.dispose());
    const copy = h.sessions.cloneFor(fork, () => true);
    expect((await copy.sendPrompt(id, "two")).text).toBe("cloned");
    expect(await fork.readFile("/workspace/t.txt", { encoding: "utf8" })).toBe("ghp-1\n");
    expect(await h.vm.exists("/workspace/t.txt")).toBe(false);
    expect(h.sessions.getSessionEvents(id).length).toBeLessThan(copy.getSessionEvents(id).length);
  });

  test("system prompt: OS instructions, additional instructions, skipOsInstructions", async () => {
    const h = await setup();
    const m = model(["a", "b"]);
    const one = await h.sessions.createSession("pi", {
      model: m.model,
      additionalInstructions: "Answer in French.",
    });
    const two = await h.sessions.createSession("pi", { model: m.model, skipOsInstructions: true });
    await h.sessions.sendPrompt(one, "x");
    await h.sessions.sendPrompt(two, "y");
    expect(m.requests[0]!.systemPrompt).toContain("agentos");
    expect(m.requests[0]!.systemPrompt).toContain("Answer in French.");
    expect(m.requests[0]!.systemPrompt).toContain("Current working directory: /workspace");
    expect(m.requests[1]!.systemPrompt).not.toContain("virtual machine");
  });

  test("unknown agent types and missing providers fail clearly; the host env is not used", async () => {
    const h = await setup();
    await expect(h.sessions.createSession("nope")).rejects.toThrow(/unknown agent type "nope"/);
    const saved = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = "sk-host-key-must-not-be-used";
    cleanups.push(() => {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    });
    await expect(h.sessions.createSession("pi")).rejects.toThrow(/EMODEL: no model provider/);
    await expect(h.sessions.createSession("pi", { model: "anthropic/claude-sonnet-4-5" })).rejects.toThrow(
      /no API key for provider anthropic/,
    );
    expect(() => h.sessions.getSessionEvents("missing")).toThrow(/ENOSESSION/);
  });
});
