/**
 * A unit test of agent behaviour: "the agent fixes the failing test".
 *
 * The model is scripted, so the test is deterministic and needs no API key: it runs the project's
 * tests, reads the failure, reads the code, fixes it, and runs the tests again, deciding each step
 * from what the tools returned. The test then asserts on the VM (the file, the test's exit code)
 * and on the transcript (which tools ran, in which order, with which result).
 */

import { afterEach, expect, test } from "vitest";
import { AgentOS } from "../src/index.ts";
import { assertToolCalls, reply, type ScriptContext, scriptedModel } from "../src/testing/index.ts";

const project = {
  "/workspace/calc/sum.sh": "# sum A B: print A+B\necho $(( $1 - $2 ))\n",
  "/workspace/calc/test.sh": [
    "fail=0",
    'check() { got=$(sh sum.sh "$1" "$2"); if [ "$got" = "$3" ]; then echo "ok   $1+$2=$3"; else echo "FAIL $1+$2: expected $3, got $got"; fail=1; fi; }',
    "check 1 2 3",
    "check 10 5 15",
    "exit $fail",
    "",
  ].join("\n"),
};

let vm: AgentOS | undefined;
let model: ReturnType<typeof scriptedModel> | undefined;
afterEach(async () => {
  model?.dispose();
  await vm?.dispose();
});

test("the agent fixes the failing test", async () => {
  vm = await AgentOS.create();
  for (const [path, content] of Object.entries(project))
    await vm.writeFile(path, content, { createParents: true });
  expect((await vm.exec("sh test.sh", { cwd: "/workspace/calc" })).exitCode).toBe(1);

  // The script decides from what it sees, as a model would.
  const lastResult = (ctx: ScriptContext) => ctx.toolResults[0]?.text ?? "";
  model = scriptedModel([
    reply.tool("bash", { command: "sh test.sh" }, "Let me run the tests first."),
    (ctx) => {
      expect(lastResult(ctx)).toContain("FAIL 1+2: expected 3, got -1");
      return reply.tool("read", { path: "sum.sh" }, "The sum is wrong; let me look at sum.sh.");
    },
    (ctx) => {
      const wrong = /\$\(\( \$1 - \$2 \)\)/.exec(lastResult(ctx))![0];
      return reply.tool("edit", { path: "sum.sh", edits: [{ oldText: wrong, newText: "$(( $1 + $2 ))" }] });
    },
    reply.tool("bash", { command: "sh test.sh" }),
    (ctx) =>
      lastResult(ctx).includes("FAIL") ? "Still failing." : "Fixed: sum.sh subtracted instead of adding.",
  ]);

  const sessionId = await vm.createSession("pi", { model: model.model, cwd: "/workspace/calc" });
  const result = await vm.sendPrompt(sessionId, "The tests in /workspace/calc fail. Fix the code.");

  // The VM's state: the fix is in the file and the test passes.
  expect(await vm.readFile("/workspace/calc/sum.sh", { encoding: "utf8" })).toBe(
    "# sum A B: print A+B\necho $(( $1 + $2 ))\n",
  );
  const rerun = await vm.exec("sh test.sh", { cwd: "/workspace/calc" });
  expect(rerun.exitCode).toBe(0);
  expect(rerun.stdout).toBe("ok   1+2=3\nok   10+5=15\n");

  // The agent's behaviour: what it ran, in order, and what it concluded.
  expect(result).toMatchObject({
    stopReason: "end_turn",
    text: "Fixed: sum.sh subtracted instead of adding.",
  });
  assertToolCalls(vm.getSessionEvents(sessionId), [
    { name: "bash", status: "failed", output: "Command exited with code 1" },
    { name: "read", status: "completed" },
    { name: "edit", status: "completed", input: { path: "sum.sh" } },
    { name: "bash", status: "completed", output: "ok   10+5=15" },
  ]);
});
