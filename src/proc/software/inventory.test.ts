import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCommandSet } from "./command-set.ts";
import {
  DOCS_BEGIN,
  DOCS_END,
  formatInventoryMarkdown,
  formatInventoryText,
  inventoryModules,
  replaceGeneratedSection,
} from "./inventory.ts";

const modules = inventoryModules(loadCommandSet());

/** The formatter pads markdown table cells; compare tables cell by cell, ignoring the padding. */
function normalizeTables(markdown: string): string {
  return markdown
    .split("\n")
    .map((line) => {
      if (!line.startsWith("|")) return line;
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      return cells.map((cell) => (/^-+:?$/.test(cell) ? cell.replace(/-+/, "---") : cell)).join("|");
    })
    .join("\n");
}

describe("command inventory", () => {
  it("has one entry per distinct module, covering every command once", () => {
    expect(modules).toHaveLength(114);
    const names = modules.flatMap((m) => m.commands);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(loadCommandSet().size);
    expect(modules.find((m) => m.commands.includes("sh"))!.commands).toEqual(["bash", "sh"]);
  });

  it("prints text with signatures", () => {
    const text = formatInventoryText(modules);
    expect(text).toContain("bash sh\n  package @agentos-software/coreutils@0.3.4");
    expect(text).toContain("  host_process.proc_waitpid_v2 (i32, i32, i32, i32, i32, i32) → i32");
  });

  it("docs/commands.md carries the current generated section", () => {
    const doc = readFileSync(new URL("../../../docs/commands.md", import.meta.url), "utf8");
    const expected = replaceGeneratedSection(doc, formatInventoryMarkdown(modules));
    // On failure: node scripts/inventory-commands.ts --write-docs, then review the prose around it.
    expect(normalizeTables(doc)).toBe(normalizeTables(expected));
    expect(doc.indexOf(DOCS_BEGIN)).toBeLessThan(doc.indexOf(DOCS_END));
  });

  it("refuses a document without markers", () => {
    expect(() => replaceGeneratedSection("# no markers", "x")).toThrow(/lacks the generated-section markers/);
  });
});
