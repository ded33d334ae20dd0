/**
 * The main job: run an agent session in a fresh VM and show what it does.
 *
 *   npx agentos-vm run "<prompt>"      (npm run demo runs it with a built-in prompt)
 *
 * With ANTHROPIC_API_KEY or OPENAI_API_KEY in the environment the Pi agent talks to that provider;
 * otherwise a clearly labelled scripted demo model drives it, so the demo runs offline. Events and
 * tool calls stream to the terminal with their output; the files the agent created are printed.
 */

import { AgentOS, type SessionEventPayload } from "../index.ts";
import { reply, scriptedModel } from "../testing/index.ts";

const DEFAULT_PROMPT =
  "Write a hello world script to /workspace/hello.sh, run it, and count the words it prints.";
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const dim = paint("2");
const bold = paint("1");
const cyan = paint("36");
const yellow = paint("33");

/** The offline stand-in for a model: a fixed plan that still uses the real tools on the real VM. */
function demoModel() {
  return scriptedModel([
    reply.tool(
      "write",
      { path: "/workspace/hello.sh", content: '#!/bin/sh\necho "hello, world from $(hostname)"\n' },
      "I'll write the script first.",
    ),
    reply.tool("bash", { command: "chmod +x hello.sh && ./hello.sh" }, "Now let me run it."),
    reply.tool("bash", { command: "./hello.sh | wc -w" }),
    (ctx) => `The script prints a greeting of ${ctx.toolResults[0]?.text.trim() ?? "?"} words.`,
  ]);
}

function providerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"]) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

function show(e: SessionEventPayload): void {
  const u = (e.event as { params?: { update?: Record<string, unknown> } }).params?.update;
  if (!u) return;
  switch (u.sessionUpdate) {
    case "agent_message_chunk":
      process.stdout.write(String((u.content as { text?: string })?.text ?? ""));
      break;
    case "tool_call":
      process.stdout.write(`\n${cyan(`▶ ${String(u.title ?? u.kind)}`)}\n`);
      break;
    case "tool_call_update": {
      if (u.status !== "completed" && u.status !== "failed") break;
      const content = (u.content as Array<{ content?: { text?: string } }> | undefined) ?? [];
      const text = content
        .map((c) => c.content?.text ?? "")
        .join("")
        .trimEnd();
      const mark = u.status === "completed" ? "✓" : yellow("✗");
      if (text) process.stdout.write(`${dim(text.split("\n").slice(0, 20).join("\n"))}\n`);
      process.stdout.write(`${mark}\n`);
      break;
    }
  }
}

export async function run(prompt: string): Promise<number> {
  const env = providerEnv();
  const live = Object.keys(env).some((k) => k.endsWith("_API_KEY"));
  const scripted = live ? null : demoModel();
  console.log(
    bold(
      live
        ? "agentos-vm: running the Pi agent against your provider"
        : "agentos-vm: DEMO MODE — scripted model",
    ),
  );
  if (!live) console.log(dim("(set ANTHROPIC_API_KEY or OPENAI_API_KEY to use a real model)"));
  const vm = await AgentOS.create();
  try {
    vm.on("sessionEvent", show);
    const sessionId = await vm.createSession("pi", { env, ...(scripted ? { model: scripted.model } : {}) });
    console.log(`${dim("prompt:")} ${prompt}\n`);
    const result = await vm.sendPrompt(sessionId, prompt);
    console.log(`\n${dim(`(${result.stopReason})`)}`);
    const files = (await vm.readdirRecursive("/workspace")).filter((f) => f.type === "file");
    console.log(bold(`\nfiles in /workspace (${files.length}):`));
    for (const f of files) {
      console.log(cyan(`── ${f.path} (${f.size} bytes)`));
      const text = await vm.readFile(f.path, { encoding: "utf8" });
      console.log(text.length > 2000 ? `${text.slice(0, 2000)}…` : text.trimEnd());
    }
    return result.stopReason === "end_turn" ? 0 : 1;
  } finally {
    scripted?.dispose();
    await vm.dispose();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "demo") return run(DEFAULT_PROMPT);
  if (command === "run") return run(rest.join(" ") || DEFAULT_PROMPT);
  console.error('usage: agentos-vm run "<prompt>"');
  return 2;
}
