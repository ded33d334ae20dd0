/**
 * The command inventory: what each distinct module is, and which host imports it needs, with
 * signatures read from the binaries. `scripts/inventory-commands.ts` prints it and regenerates the
 * generated part of `docs/commands.md`; a test keeps that part equal to this output.
 */

import type { CommandAbi, CommandSet } from "./command-set.ts";
import { readImports, readMemoryLimits, type WasmImport } from "./wasm-imports.ts";

export interface ModuleInventory {
  readonly hash: string;
  /** Command names sharing this module, sorted. */
  readonly commands: readonly string[];
  readonly package: string;
  readonly size: number;
  readonly abi: CommandAbi;
  readonly stub: boolean;
  /** Initial linear memory, 64 KiB pages. */
  readonly memoryPages: number;
  /** Imports outside `wasi_snapshot_preview1`, in import-section order. */
  readonly hostImports: readonly WasmImport[];
  /** Names of the `wasi_snapshot_preview1` functions imported. */
  readonly wasiImports: readonly string[];
}

const WASI = "wasi_snapshot_preview1";
export const DOCS_BEGIN = "<!-- BEGIN GENERATED: node scripts/inventory-commands.ts --write-docs -->";
export const DOCS_END = "<!-- END GENERATED -->";

export function inventoryModules(set: CommandSet): ModuleInventory[] {
  const byHash = new Map<string, string[]>();
  for (const record of set.values())
    byHash.set(record.hash, [...(byHash.get(record.hash) ?? []), record.name]);
  const modules = [...byHash].map(([hash, names]): ModuleInventory => {
    const record = set.get(names[0]!)!;
    const imports = readImports(record.bytes);
    return {
      hash,
      commands: names.sort(),
      package: record.package,
      size: record.bytes.length,
      abi: record.abi,
      stub: record.stub,
      memoryPages: readMemoryLimits(record.bytes)?.initial ?? 0,
      hostImports: imports.filter((i) => i.module !== WASI),
      wasiImports: imports.filter((i) => i.module === WASI).map((i) => i.name),
    };
  });
  return modules.sort(
    (a, b) => a.package.localeCompare(b.package) || a.commands[0]!.localeCompare(b.commands[0]!),
  );
}

export function signature(i: WasmImport): string {
  return `(${i.params.join(", ")}) → ${i.results.length ? i.results.join(", ") : "()"}`;
}

/** Plain text, one block per module, for reading in a terminal. */
export function formatInventoryText(modules: readonly ModuleInventory[]): string {
  const lines: string[] = [];
  for (const m of modules) {
    lines.push(
      `${m.commands.join(" ")}${m.stub ? "  [stub]" : ""}`,
      `  package ${m.package}  size ${m.size}  abi ${m.abi}  memory ${m.memoryPages} pages  sha256 ${m.hash}`,
    );
    for (const i of m.hostImports) lines.push(`  ${i.module}.${i.name} ${signature(i)}`);
    lines.push(`  + ${m.wasiImports.length} wasi_snapshot_preview1 functions`, "");
  }
  return lines.join("\n");
}

/** Host imports grouped per import module, e.g. `fs{fd_mode,path_mode} net{net_send}`. */
function compactImports(imports: readonly WasmImport[]): string {
  const groups = new Map<string, string[]>();
  for (const i of imports) groups.set(i.module, [...(groups.get(i.module) ?? []), i.name]);
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([module, names]) => `${module.replace(/^host_/, "")}{${names.sort().join(",")}}`)
    .join(" ");
}

function commandList(modules: readonly ModuleInventory[], limit: number): string {
  const names = modules.flatMap((m) => m.commands).sort();
  return names.length <= limit ? names.join(" ") : `${names.length} commands`;
}

/** The generated section of docs/commands.md (between {@link DOCS_BEGIN} and {@link DOCS_END}). */
export function formatInventoryMarkdown(modules: readonly ModuleInventory[]): string {
  const out: string[] = [];
  const commands = modules.reduce((n, m) => n + m.commands.length, 0);
  const total = modules.reduce((n, m) => n + m.size, 0);
  out.push(
    `${commands} commands, ${modules.length} distinct modules, ${(total / 2 ** 20).toFixed(1)} MiB of distinct module bytes.`,
    "",
    "### Modules",
    "",
    "| commands | package | KiB | pages | ABI | host imports |",
    "|---|---|--:|--:|---|---|",
  );
  for (const m of modules) {
    const names = m.commands.map((c) => `\`${c}\``).join(" ");
    const pkg = m.package.replace(/^@(agentos-software|rivet-dev)\//, "").replace(/@.*/, "");
    const imports = compactImports(m.hostImports) || "—";
    out.push(
      `| ${names}${m.stub ? " (stub)" : ""} | ${pkg} | ${Math.round(m.size / 1024)} | ${m.memoryPages} | ${m.abi} | ${imports} |`,
    );
  }

  // One row per distinct (import, signature): the legacy and v3 path_mode differ only here.
  const bySignature = new Map<string, { imp: WasmImport; modules: ModuleInventory[] }>();
  for (const m of modules) {
    for (const imp of m.hostImports) {
      const key = `${imp.module}.${imp.name} ${signature(imp)}`;
      const entry = bySignature.get(key) ?? { imp, modules: [] };
      entry.modules.push(m);
      bySignature.set(key, entry);
    }
  }
  out.push(
    "",
    "### Host import signatures",
    "",
    "| import | signature | ABI | used by |",
    "|---|---|---|---|",
  );
  for (const [, { imp, modules: users }] of [...bySignature].sort(([a], [b]) => a.localeCompare(b))) {
    const abis = [...new Set(users.map((m) => m.abi))].sort().join(", ");
    out.push(
      `| \`${imp.module}.${imp.name}\` | \`${signature(imp)}\` | ${abis} | ${commandList(users, 16)} |`,
    );
  }

  const wasi = new Map<string, number>();
  for (const m of modules) for (const name of m.wasiImports) wasi.set(name, (wasi.get(name) ?? 0) + 1);
  out.push(
    "",
    `### WASI preview1 functions imported (${wasi.size})`,
    "",
    [...wasi]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, n]) => `\`${name}\` (${n})`)
      .join(", "),
    "",
    "The number is how many distinct modules import the function.",
  );
  return out.join("\n");
}

/** Replaces the generated section of a document; throws if the markers are missing. */
export function replaceGeneratedSection(doc: string, generated: string): string {
  const begin = doc.indexOf(DOCS_BEGIN);
  const end = doc.indexOf(DOCS_END);
  if (begin < 0 || end < begin) throw new Error("docs/commands.md lacks the generated-section markers");
  return `${doc.slice(0, begin + DOCS_BEGIN.length)}\n\n${generated}\n\n${doc.slice(end)}`;
}
