/**
 * `npm run demo`: boot a VM, work with its files, run real commands and pipelines, fork and
 * snapshot it. (Agent sessions arrive with a later issue; then this becomes the agent demo.)
 */

import { AgentOS } from "../src/index.ts";

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const ms = (t: number) => `${(performance.now() - t).toFixed(1)} ms`;

let t = performance.now();
const vm = await AgentOS.create();
console.log(`booted a VM in ${ms(t)}`);

await vm.writeFile(
  "/workspace/app/main.js",
  "export function greet(name) {\n  return `hello ${name}`;\n}\n// TODO: more greetings\n",
  { createParents: true },
);
await vm.writeFile("/workspace/app/data.csv", "name,score\nada,93\nlin,88\nbo,97\nkay,88\n");

async function run(command: string): Promise<void> {
  const start = performance.now();
  const r = await vm.exec(command, { cwd: "/workspace/app" });
  console.log(`\n$ ${command}  ${dim(`(${ms(start)}, exit ${r.exitCode})`)}`);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stdout.write(dim(r.stderr));
}

await run("whoami && uname -a && pwd");
await run("ls -la");
await run("tail -n +2 data.csv | sort -t, -k2 -nr | head -n 2");
await run("grep -n TODO main.js; wc -l *");
await run("awk -F, 'NR > 1 { sum += $2 } END { print \"mean:\", sum / (NR - 1) }' data.csv");
await run("seq 1 100000 | grep 7 | wc -l");
await run("tar czf /tmp/app.tgz . && tar tzf /tmp/app.tgz | sort");
await run('yes | head -n 3; echo "pipeline statuses: ${PIPESTATUS[*]}"');

t = performance.now();
const child = await vm.fork();
console.log(`\nforked the VM in ${ms(t)}; the child diverges:`);
await child.writeFile("/workspace/app/data.csv", "name,score\nnew,1\n");
console.log(
  `  parent sees ${(await vm.readFile("/workspace/app/data.csv", { encoding: "utf8" })).split("\n").length - 2} rows, child sees 1`,
);

t = performance.now();
const bytes = await vm.snapshot();
const restored = await AgentOS.restore(bytes);
console.log(`snapshot: ${bytes.length} bytes, taken and restored in ${ms(t)}`);
console.log(
  `restored main.js starts with: ${(await restored.readFile("/workspace/app/main.js", { encoding: "utf8" })).split("\n")[0]}`,
);

for (const m of [vm, child, restored]) await m.dispose();
process.exit(0);
