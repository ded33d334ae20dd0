/**
 * Pipeline soak: random pipelines of 2–5 stages over random data (0 B – 10 MB), each compared with
 * the output computed independently in JS. Bounded for CI (`SOAK_PIPELINES`, default 40); a
 * per-pipeline timeout turns a hang into a failure. Only stage forms known to behave as GNU's with
 * the pinned binaries are generated (docs/commands.md, "Known differences").
 * `SOAK_SEED` replays a run.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { AgentOS } from "../../src/index.ts";

const COUNT = Number(process.env.SOAK_PIPELINES ?? 40);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
const PER_PIPELINE_MS = 30_000;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with SOAK_SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Lines = string[];
interface Stage {
  cmd: string;
  run(lines: Lines): Lines;
}

const fields = (l: string) => l.split(/[ \t]+/).filter((f) => f !== "");

function stages(r: () => number): Stage[] {
  const letter = "abcdefghijklmnopqrstuvwxyz"[Math.floor(r() * 26)]!;
  const n = Math.floor(r() * 50);
  return [
    { cmd: "cat", run: (l) => l },
    { cmd: "tr a-z A-Z", run: (l) => l.map((s) => s.toUpperCase()) },
    { cmd: "tr -d aeiou", run: (l) => l.map((s) => s.replace(/[aeiou]/g, "")) },
    { cmd: `sed 's/${letter}/#/g'`, run: (l) => l.map((s) => s.split(letter).join("#")) },
    { cmd: "sed 's/[0-9]/_/g'", run: (l) => l.map((s) => s.replace(/[0-9]/g, "_")) },
    { cmd: `grep ${letter}`, run: (l) => l.filter((s) => s.includes(letter)) },
    { cmd: `grep -v ${letter}`, run: (l) => l.filter((s) => !s.includes(letter)) },
    { cmd: `grep -c ${letter}`, run: (l) => [String(l.filter((s) => s.includes(letter)).length)] },
    { cmd: "sort", run: (l) => [...l].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) },
    { cmd: "sort -r", run: (l) => [...l].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)) },
    { cmd: "uniq", run: (l) => l.filter((s, i) => i === 0 || l[i - 1] !== s) },
    { cmd: `head -n ${n}`, run: (l) => l.slice(0, n) },
    { cmd: `tail -n ${n}`, run: (l) => (n === 0 ? [] : l.slice(-n)) },
    { cmd: "wc -l", run: (l) => [String(l.length)] },
    { cmd: "awk '{print $1}'", run: (l) => l.map((s) => fields(s)[0] ?? "") },
    { cmd: "awk '{print NF}'", run: (l) => l.map((s) => String(fields(s).length)) },
    { cmd: "cut -c1-5", run: (l) => l.map((s) => s.slice(0, 5)) },
    {
      cmd: "cut -d' ' -f2",
      run: (l) => l.map((s) => (s.includes(" ") ? (s.split(" ")[1] ?? "") : s)),
    },
    { cmd: "tee /tmp/tee.out", run: (l) => l },
  ];
}

/** Lines of lowercase words and digits separated by single spaces. */
function data(r: () => number, bytes: number): Lines {
  const out: Lines = [];
  let size = 0;
  const vocab = Array.from({ length: 200 }, (_, i) =>
    Array.from(
      { length: 1 + (i % 9) },
      () => "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(r() * 36)],
    ).join(""),
  );
  while (size < bytes) {
    const words = 1 + Math.floor(r() * 8);
    const line = Array.from({ length: words }, () => vocab[Math.floor(r() ** 2 * vocab.length)]).join(" ");
    out.push(line);
    size += line.length + 1;
  }
  return out;
}

const join = (l: Lines) => (l.length ? `${l.join("\n")}\n` : "");

let vm: AgentOS;
beforeAll(async () => {
  vm = await AgentOS.create();
});
afterAll(async () => {
  await vm?.dispose();
});

test(`${COUNT} random pipelines give the independently computed output (seed ${SEED})`, {
  timeout: 60_000 + COUNT * 3_000,
}, async () => {
  const r = rng(SEED);
  let ran = 0;
  let bytesIn = 0;
  const failures: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    // Mostly small inputs, a few large: 10 MB * u^4.
    const size = i % 10 === 9 ? Math.floor(10 * 1024 * 1024 * r()) : Math.floor(10 * 1024 * 1024 * r() ** 4);
    const input = data(r, size);
    const text = join(input);
    bytesIn += text.length;
    await vm.writeFile("/tmp/in.txt", text);
    const all = stages(r);
    const depth = 2 + Math.floor(r() * 4);
    const chosen = Array.from({ length: depth }, () => all[Math.floor(r() * all.length)]!);
    let expected = input;
    for (const s of chosen) expected = s.run(expected);
    const viaCat = r() < 0.5;
    const command = viaCat
      ? `cat /tmp/in.txt | ${chosen.map((s) => s.cmd).join(" | ")}`
      : `${chosen[0]!.cmd} < /tmp/in.txt${chosen.length > 1 ? " | " : ""}${chosen
          .slice(1)
          .map((s) => s.cmd)
          .join(" | ")}`;
    const result = await vm.exec(command, { timeout: PER_PIPELINE_MS, env: { LC_ALL: "C" } });
    ran++;
    if (result.timedOut) failures.push(`HANG (${text.length} B): ${command}`);
    else if (result.stdout !== join(expected)) {
      failures.push(
        `WRONG (${text.length} B): ${command}\n  got ${JSON.stringify(result.stdout.slice(0, 200))}\n  want ${JSON.stringify(join(expected).slice(0, 200))}\n  stderr ${result.stderr.slice(0, 200)}`,
      );
    }
  }
  console.log(
    `soak: ${ran} pipelines, ${(bytesIn / 1048576).toFixed(1)} MiB in, ${failures.length} failures (seed ${SEED})`,
  );
  expect(failures).toEqual([]);
});
