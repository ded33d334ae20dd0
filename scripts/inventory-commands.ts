/**
 * Prints the WASM command inventory: per distinct module its commands, size, ABI, memory and the
 * non-WASI imports with their signatures, read from the binaries.
 *
 *   node scripts/inventory-commands.ts               # text, one block per module
 *   node scripts/inventory-commands.ts --markdown    # the tables of docs/commands.md
 *   node scripts/inventory-commands.ts --write-docs  # regenerate that section in place
 *
 * After --write-docs, `npx biome check --write docs` pads the tables again; the test that compares
 * the docs with this output ignores that padding.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { loadCommandSet } from "../src/proc/software/index.ts";
import {
  formatInventoryMarkdown,
  formatInventoryText,
  inventoryModules,
  replaceGeneratedSection,
} from "../src/proc/software/inventory.ts";

const modules = inventoryModules(loadCommandSet());
const mode = process.argv[2];

if (mode === "--write-docs") {
  const path = new URL("../docs/commands.md", import.meta.url);
  const doc = readFileSync(path, "utf8");
  writeFileSync(path, replaceGeneratedSection(doc, formatInventoryMarkdown(modules)));
  console.log(`updated ${path.pathname}`);
} else if (mode === "--markdown") {
  console.log(formatInventoryMarkdown(modules));
} else if (mode === undefined) {
  console.log(formatInventoryText(modules));
} else {
  console.error("usage: node scripts/inventory-commands.ts [--markdown | --write-docs]");
  process.exitCode = 2;
}
