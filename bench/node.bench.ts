/**
 * `node` (QuickJS) benchmarks: warm `node -e "console.log(1)"` latency (spawned straight from the
 * kernel, and through `sh -c`), fib(25) against host V8, and `require` of a 200-file package.
 * Run: node bench/node.bench.ts [--quick]
 */
import { createNodeVm } from "../test/node/harness.ts";
import { type BenchResult, bench, printTable } from "./harness.ts";

const quick = process.argv.includes("--quick");
const n = (full: number) => (quick ? Math.max(3, Math.ceil(full / 5)) : full);
const results: BenchResult[] = [];
const vm = await createNodeVm();

const expectOut = async (p: Promise<{ output: string; exitCode: number }>, want: string) => {
  const r = await p;
  if (r.output !== want || r.exitCode !== 0) throw new Error(`unexpected: ${JSON.stringify(r)}`);
};

results.push(
  await bench(
    "node -e 'console.log(1)' (kernel spawn, warm)",
    () => expectOut(vm.run(["-e", "console.log(1)"]), "1\n"),
    {
      iterations: n(100),
      warmup: 10,
    },
  ),
);
results.push(
  await bench("exec(\"node -e 'console.log(1)'\") (through sh)", () => vm.exec("node -e 'console.log(1)'"), {
    iterations: n(50),
    warmup: 5,
  }),
);

const fib = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }";
const fibVm = await bench(
  "fib(25) in the VM (incl. spawn)",
  () => expectOut(vm.run(["-e", `${fib} console.log(fib(25))`]), "75025\n"),
  {
    iterations: n(10),
    warmup: 2,
  },
);
const fibHost = await bench(
  "fib(25) on host V8",
  () => {
    const r = new Function(`${fib} return fib(25);`)();
    if (r !== 75025) throw new Error("fib");
  },
  { iterations: n(10), warmup: 2 },
);
const spawnOnly = results[0]!.median;
fibVm.note = `${((fibVm.median - spawnOnly) / fibHost.median).toFixed(1)}× host (spawn subtracted)`;
results.push(fibVm, fibHost);

// A package of 200 modules: index requires m0..m199.
const files: Record<string, string> = {
  "/workspace/bench/node_modules/big/package.json": JSON.stringify({ name: "big", main: "index.js" }),
  "/workspace/bench/node_modules/big/index.js": `${Array.from({ length: 199 }, (_, i) => `require('./lib/m${i}');`).join("\n")}\nmodule.exports = 199;\n`,
};
for (let i = 0; i < 199; i++) {
  files[`/workspace/bench/node_modules/big/lib/m${i}.js`] =
    `exports.id = ${i}; exports.f = (x) => x + ${i};\n`;
}
for (const [p, c] of Object.entries(files)) await vm.write(p, c);
const req = await bench(
  "require() of a 200-file package (incl. spawn)",
  () => expectOut(vm.run(["-e", "console.log(require('big'))"], "/workspace/bench"), "199\n"),
  { iterations: n(20), warmup: 3 },
);
req.note = `${(req.median - spawnOnly).toFixed(1)} ms for the requires`;
results.push(req);

printTable(results);
vm.dispose();
process.exit(0);
