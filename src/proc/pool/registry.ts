/**
 * Job kinds by name → the module a worker imports to run them. Host-process-wide, like the pool,
 * so runners (WASM, QuickJS…) plug in without the pool knowing them:
 *
 *   registerJobKind("wasm", moduleUrl("../wasm/runner.ts", import.meta.url));
 */

interface JobKind {
  readonly module: string;
  readonly preload: boolean;
}

const kinds = new Map<string, JobKind>();

export interface JobKindOptions {
  /** Import the module in every new worker before it counts as warm (costs startup time, saves first-job time). */
  preload?: boolean;
}

export function registerJobKind(kind: string, module: URL | string, options: JobKindOptions = {}): void {
  const href = new URL(module).href;
  const existing = kinds.get(kind);
  if (existing && existing.module !== href) {
    throw new Error(`job kind "${kind}" is already registered to ${existing.module}`);
  }
  kinds.set(kind, { module: href, preload: options.preload ?? false });
}

export function jobKindModule(kind: string): string | undefined {
  return kinds.get(kind)?.module;
}

export function preloadedModules(): string[] {
  return [...kinds.values()].filter((k) => k.preload).map((k) => k.module);
}

/**
 * Resolves a sibling module for a worker to load. Source files are `.ts` (Node 24 strips types),
 * the build emits `.js`, and tsc does not rewrite extensions inside `new URL(...)`: so when the
 * caller itself is running as `.js`, `.ts` specifiers are swapped for `.js`.
 */
export function moduleUrl(specifier: string, base: string): URL {
  const compiled = base.endsWith(".js") && specifier.endsWith(".ts");
  return new URL(compiled ? `${specifier.slice(0, -3)}.js` : specifier, base);
}
