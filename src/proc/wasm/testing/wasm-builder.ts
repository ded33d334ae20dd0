/**
 * A tiny WebAssembly assembler for the runner's tests: a command module with some function
 * imports, one page of exported memory and an exported `_start` whose body is raw opcodes.
 */

type ValType = "i32" | "i64";
export interface BuiltImport {
  module: string;
  name: string;
  params: ValType[];
  results: ValType[];
}

const TYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

function str(s: string): number[] {
  const bytes = [...Buffer.from(s)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, items: number[][]): number[] {
  const body = [...uleb(items.length), ...items.flat()];
  return [id, ...uleb(body.length), ...body];
}

/** Opcodes used by the tests. */
export const op = {
  unreachable: [0x00],
  end: [0x0b],
  drop: [0x1a],
  call: (index: number) => [0x10, ...uleb(index)],
  i32: (n: number) => [0x41, ...sleb(n)],
  i64: (n: number) => [0x42, ...sleb(n)],
  i64Eq: [0x51],
};

/** Imports take function indices 0..n-1; `_start` is index n. */
export function commandModule(imports: BuiltImport[], body: number[]): Uint8Array<ArrayBuffer> {
  const types = [
    ...imports.map((i) => [
      0x60,
      ...uleb(i.params.length),
      ...i.params.map((t) => TYPE[t]),
      ...uleb(i.results.length),
      ...i.results.map((t) => TYPE[t]),
    ]),
    [0x60, 0, 0],
  ];
  const code = [0, ...body, ...op.end];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, types),
    ...section(
      2,
      imports.map((imp, i) => [...str(imp.module), ...str(imp.name), 0x00, ...uleb(i)]),
    ),
    ...section(3, [uleb(imports.length)]),
    ...section(5, [[0x00, 1]]),
    ...section(7, [
      [...str("memory"), 0x02, 0],
      [...str("_start"), 0x00, ...uleb(imports.length)],
    ]),
    ...section(10, [[...uleb(code.length), ...code]]),
  ]);
}

export const PROC_EXIT: BuiltImport = {
  module: "wasi_snapshot_preview1",
  name: "proc_exit",
  params: ["i32"],
  results: [],
};
