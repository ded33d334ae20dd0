/**
 * Pipelines stream: stages run concurrently over bounded pipes, consumers that stop early stop
 * their producers, and many pipelines in many VMs run side by side with correct outputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentOS } from "../../src/index.ts";

let vm: AgentOS;
beforeAll(async () => {
  vm = await AgentOS.create();
});
afterAll(async () => {
  await vm.dispose();
});

describe("streaming pipelines", () => {
  it("yes | head -n 100000 | wc -l", async () => {
    const r = await vm.exec("yes | head -n 100000 | wc -l");
    expect(r).toMatchObject({ exitCode: 0, stderr: "" });
    expect(r.stdout.trim()).toBe("100000");
  });

  it("cat /dev/zero | head -c 10000000 | wc -c", async () => {
    const r = await vm.exec("cat /dev/zero | head -c 10000000 | wc -c");
    expect(r.stdout.trim()).toBe("10000000");
    expect(r.exitCode).toBe(0);
  });

  it("a producer whose consumer exits early terminates (SIGPIPE), and nothing is left running", async () => {
    const started = performance.now();
    const r = await vm.exec("yes hello | head -n 1; echo status=${PIPESTATUS[0]}");
    expect(r.stdout).toBe("hello\nstatus=141\n");
    expect(performance.now() - started).toBeLessThan(5000);
    expect(vm.listProcesses().filter((p) => p.state === "running")).toEqual([]);
  });

  it("a 3-stage pipeline over 10 MB is correct", async () => {
    const line =
      "abcdefghij0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij0123456789abcdefghi\n";
    const count = Math.ceil((10 * 1024 * 1024) / line.length);
    await vm.writeFile("/tmp/10mb.txt", line.repeat(count));
    const r = await vm.exec("cat /tmp/10mb.txt | tr a-j A-J | wc -lc");
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split(/\s+/).map(Number)).toEqual([count, count * line.length]);
    const head = await vm.exec("cat /tmp/10mb.txt | tr a-j A-J | head -c 20");
    expect(head.stdout).toBe("ABCDEFGHIJ0123456789");
  });

  it("100 pipelines run concurrently in 10 VMs with correct outputs", async () => {
    const vms = await Promise.all(Array.from({ length: 10 }, () => AgentOS.create()));
    try {
      const runs = vms.flatMap((v, i) =>
        Array.from({ length: 10 }, (_, j) => {
          const n = 100 + i * 10 + j;
          return v.exec(`seq 1 ${n} | grep -c 1 | tr -d ' '`).then((r) => ({ n, r }));
        }),
      );
      for (const { n, r } of await Promise.all(runs)) {
        let expected = 0;
        for (let k = 1; k <= n; k++) if (String(k).includes("1")) expected++;
        expect(r.exitCode).toBe(0);
        expect(r.stdout.trim()).toBe(String(expected));
      }
    } finally {
      await Promise.all(vms.map((v) => v.dispose()));
    }
  }, 120_000);

  it("streams output while the command still runs", async () => {
    const seen: number[] = [];
    const t0 = performance.now();
    const onOutput = () => seen.push(performance.now() - t0);
    vm.on("processOutput", onOutput);
    try {
      const r = await vm.exec("echo first; sleep 0.3; echo second");
      expect(r.stdout).toBe("first\nsecond\n");
      expect(seen.length).toBeGreaterThanOrEqual(2);
      // The first line arrived well before the command ended.
      expect(seen[0]!).toBeLessThan(seen[seen.length - 1]! - 200);
    } finally {
      vm.off("processOutput", onOutput);
    }
  });
});
