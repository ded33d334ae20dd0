import type { Case, CaseFamily } from "../types.ts";
import { awk } from "./awk.ts";
import { coreutilsFiles } from "./coreutils-files.ts";
import { coreutilsText } from "./coreutils-text.ts";
import { diff } from "./diff.ts";
import { findXargs } from "./find-xargs.ts";
import { grep } from "./grep.ts";
import { jq } from "./jq.ts";
import { misc } from "./misc.ts";
import { sed } from "./sed.ts";
import { shellControl } from "./shell-control.ts";
import { shellExpansion } from "./shell-expansion.ts";
import { shellIo } from "./shell-io.ts";
import { sortUniq } from "./sort-uniq.ts";
import { tarGzip } from "./tar-gzip.ts";

/** Every case file's contribution; several files may share a family (the shell ones do). */
const parts: readonly CaseFamily[] = [
  coreutilsText,
  coreutilsFiles,
  sed,
  awk,
  grep,
  findXargs,
  sortUniq,
  tarGzip,
  diff,
  shellControl,
  shellExpansion,
  shellIo,
  jq,
  misc,
];

/** The corpus by family, in the order above; each family becomes `fixtures/<family>.json`. */
export const caseFamilies: readonly CaseFamily[] = mergeFamilies(parts);

function mergeFamilies(list: readonly CaseFamily[]): CaseFamily[] {
  const byFamily = new Map<string, Case[]>();
  for (const part of list) {
    const cases = byFamily.get(part.family) ?? [];
    cases.push(...part.cases);
    byFamily.set(part.family, cases);
  }
  return [...byFamily].map(([family, cases]) => ({ family, cases }));
}

/** Throws on duplicate or badly formed names, so `--only` and fixture keys stay unambiguous. */
export function validateCases(families: readonly CaseFamily[]): void {
  const seen = new Set<string>();
  for (const { cases } of families) {
    for (const c of cases) {
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.name)) throw new Error(`case name is not kebab-case: ${c.name}`);
      if (seen.has(c.name)) throw new Error(`duplicate case name: ${c.name}`);
      seen.add(c.name);
      if (c.compare && c.compare.length < 3 && !c.note)
        throw new Error(`${c.name}: narrowed compare needs a note`);
    }
  }
}
