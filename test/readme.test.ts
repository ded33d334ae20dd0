/**
 * Every ```ts example in README.md runs as written (with `agentos-vm` pointing at src/), in its own
 * Node process, and prints what its `// →` comments say.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const tmp = join(root, "test", ".readme-examples");
const run = promisify(execFile);

function examples(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function expected(code: string): string[] {
  return code
    .split("\n")
    .filter((l) => l.includes("// → "))
    .map((l) => l.slice(l.indexOf("// → ") + 5).trim());
}

describe("README examples", () => {
  mkdirSync(tmp, { recursive: true });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const blocks = examples(readFileSync(join(root, "README.md"), "utf8"));

  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs and prints what it says`, async () => {
      const file = join(tmp, `example-${i + 1}.ts`);
      const source = code
        .replaceAll(
          'from "agentos-vm/testing"',
          `from ${JSON.stringify(join(root, "src", "testing", "index.ts"))}`,
        )
        .replaceAll('from "agentos-vm"', `from ${JSON.stringify(join(root, "src", "index.ts"))}`);
      writeFileSync(file, `${source}\nprocess.exit(0);\n`);
      const { stdout } = await run(process.execPath, [file], { timeout: 60_000 });
      expect(stdout.trim().split("\n")).toEqual(expected(code));
    }, 90_000);
  });
});
