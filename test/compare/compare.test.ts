/**
 * Comparison tests: every recorded fixture (real bash + GNU tools) replayed in the VM.
 * The replay part is skipped until `AgentOS.prototype.exec` exists; the corpus checks always run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentOS } from "../../src/index.ts";
import { caseFamilies, validateCases } from "./cases/index.ts";
import { loadFixtures, type ReplayVm, replayCase } from "./replay.ts";
import { allCompareFields, type Case, type Fixture } from "./types.ts";

// `exec` is still being built: probe for it rather than naming it, so this file type-checks today.
const canExec = typeof (AgentOS.prototype as { exec?: unknown }).exec === "function";

const fixtures = loadFixtures();
const casesByName = new Map<string, Case>(
  caseFamilies.flatMap(({ cases }) => cases.map((c) => [c.name, c] as const)),
);

describe("comparison corpus", () => {
  it("has well-formed, unique case names", () => {
    expect(() => validateCases(caseFamilies)).not.toThrow();
  });

  it("has a fixture for every case, recorded from the same inputs", () => {
    const recorded = new Map(fixtures.map((f) => [f.name, f]));
    const stale = caseFamilies.flatMap(({ family, cases }) =>
      cases.filter((c) => !sameInputs(c, family, recorded.get(c.name))).map((c) => c.name),
    );
    expect(stale, "re-record with: node test/compare/record.ts --only <name>").toEqual([]);
    expect(fixtures.filter((f) => !casesByName.has(f.name)).map((f) => f.name)).toEqual([]);
  });
});

function sameInputs(c: Case, family: string, f: Fixture | undefined): boolean {
  return (
    f !== undefined &&
    f.family === family &&
    f.script === c.script &&
    f.stdin === (c.stdin ?? null) &&
    JSON.stringify(f.files) === JSON.stringify(c.files ?? {})
  );
}

describe.skipIf(!canExec)("comparison with bash and GNU tools", () => {
  for (const { family } of caseFamilies) {
    describe(family, () => {
      let vm: AgentOS | undefined;
      beforeAll(async () => {
        vm = await AgentOS.create();
      });
      afterAll(async () => {
        await vm?.dispose();
      });

      for (const fixture of fixtures.filter((f) => f.family === family)) {
        const policy = casesByName.get(fixture.name);
        if (policy?.skipReason) {
          it.skip(`${fixture.name} [skipped: ${policy.skipReason}]`, () => {});
          continue;
        }
        it(fixture.name, async () => {
          const replayVm = vm as unknown as ReplayVm;
          const result = await replayCase(replayVm, fixture, policy?.compare ?? allCompareFields);
          expect(result.failed, result.report).toEqual([]);
        });
      }
    });
  }
});
