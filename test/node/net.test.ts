/** Networking for `node`: the egress policy (fetch, http/https clients) and servers on VM ports. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VM_USER } from "../../src/fs/index.ts";
import { hostMatches, listeningPorts, setNetworkPolicy, vmFetch } from "../../src/net/index.ts";
import { createNodeVm, type NodeVm } from "./harness.ts";

let vm: NodeVm;
let server: Server;
let port = 0;
let deniedPort = 0;
let other: Server;

beforeAll(async () => {
  vm = await createNodeVm();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/missing") {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("nope");
        return;
      }
      if (url.pathname === "/redirect") {
        res.writeHead(302, { location: "/echo?from=redirect" });
        res.end();
        return;
      }
      if (url.pathname === "/away") {
        res.writeHead(302, { location: `http://127.0.0.1:${deniedPort}/secret` });
        res.end();
        return;
      }
      res.writeHead(201, { "content-type": "application/json", "x-test": "yes" });
      res.end(
        JSON.stringify({
          method: req.method,
          path: req.url,
          auth: req.headers.authorization ?? null,
          custom: req.headers["x-custom"] ?? null,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  other = createServer((_req, res) => res.end("should not be reached"));
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  deniedPort = (other.address() as AddressInfo).port;
  setNetworkPolicy(vm.kernel, {
    allow: [`127.0.0.1:${port}`],
    headers: { [`127.0.0.1:${port}`]: { Authorization: "Bearer injected-secret" } },
  });
});
afterAll(() => {
  vm.dispose();
  server.close();
  other.close();
});

async function node(js: string) {
  await vm.write("/workspace/net-case.mjs", js);
  return vm.exec("node net-case.mjs");
}

describe("egress policy", () => {
  it("host patterns", () => {
    const u = (s: string) => new URL(s);
    expect(hostMatches("api.example.com", u("https://api.example.com/x"))).toBe(true);
    expect(hostMatches("api.example.com", u("http://api.example.com:8080/x"))).toBe(true);
    expect(hostMatches("*.example.com", u("https://a.b.example.com/"))).toBe(true);
    expect(hostMatches("*.example.com", u("https://example.com/"))).toBe(false);
    expect(hostMatches("*.example.com", u("https://badexample.com/"))).toBe(false);
    expect(hostMatches("127.0.0.1:8080", u("http://127.0.0.1:8080/"))).toBe(true);
    expect(hostMatches("127.0.0.1:8080", u("http://127.0.0.1:8081/"))).toBe(false);
    expect(hostMatches("example.com:443", u("https://example.com/"))).toBe(true);
    expect(hostMatches("[::1]:80", u("http://[::1]/"))).toBe(true);
  });

  it("fetch: an allowed GET, with the policy's headers injected over the guest's", async () => {
    const r = await node(`
      const res = await fetch("http://127.0.0.1:${port}/echo?q=1", { headers: { "X-Custom": "c1", Authorization: "guest" } });
      console.log(res.status, res.ok, res.statusText, res.headers.get("x-test"), res.headers.get("content-type"));
      console.log(JSON.stringify(await res.json()));
    `);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      `201 true Created yes application/json\n` +
        `{"method":"GET","path":"/echo?q=1","auth":"Bearer injected-secret","custom":"c1","body":""}\n`,
    );
  });

  it("fetch: POST body, status codes, text and arrayBuffer, redirects", async () => {
    const r = await node(`
      const post = await fetch("http://127.0.0.1:${port}/post", { method: "POST", body: JSON.stringify({ a: 1 }), headers: { "content-type": "application/json" } });
      console.log((await post.json()).body);
      const missing = await fetch("http://127.0.0.1:${port}/missing");
      console.log(missing.status, missing.ok, await missing.text());
      const ab = await (await fetch("http://127.0.0.1:${port}/echo")).arrayBuffer();
      console.log(ab.byteLength > 10);
      const red = await fetch("http://127.0.0.1:${port}/redirect");
      console.log(red.status, red.redirected, (await red.json()).path);
      const manual = await fetch("http://127.0.0.1:${port}/redirect", { redirect: "manual" });
      console.log(manual.status, manual.headers.get("location"));
    `);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      `{"a":1}\n404 false nope\ntrue\n201 true /echo?from=redirect\n302 /echo?from=redirect\n`,
    );
  });

  it("a denied fetch fails with EACCES naming the host and the policy; redirects are checked too", async () => {
    const r = await node(`
      try { await fetch("http://127.0.0.1:${deniedPort}/x"); } catch (e) { console.log(e.name, e.message); console.log(e.cause.code); }
      try { await fetch("http://127.0.0.1:${port}/away"); } catch (e) { console.log(e.message); }
      try { await fetch("ftp://127.0.0.1/x"); } catch (e) { console.log(e.name); }
    `);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      `TypeError fetch failed: EACCES: network access to 127.0.0.1:${deniedPort} denied by the VM's egress policy (network.allow)\n` +
        `EACCES\n` +
        `fetch failed: EACCES: network access to 127.0.0.1:${deniedPort} denied by the VM's egress policy (network.allow)\n` +
        `TypeError\n`,
    );
  });

  it("http.get and http.request: status, headers, streamed body, POST, a denied request's error event", async () => {
    const r = await node(`
      import http from "node:http";
      http.get("http://127.0.0.1:${port}/get?x=y", (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (data += c));
        res.on("end", () => {
          console.log(res.statusCode, res.statusMessage, res.headers["x-test"], JSON.parse(data).path);
          const req = http.request({ hostname: "127.0.0.1", port: ${port}, path: "/p", method: "POST", headers: { "X-Custom": "h" } }, (res2) => {
            const chunks = [];
            res2.on("data", (c) => chunks.push(c));
            res2.on("end", () => {
              const j = JSON.parse(Buffer.concat(chunks).toString());
              console.log(res2.statusCode, j.method, j.body, j.custom, j.auth);
              http.get("http://127.0.0.1:${deniedPort}/").on("error", (e) => console.log(e.code, e.message));
            });
          });
          req.write("part1,");
          req.end("part2");
        });
      });
    `);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      `201 Created yes /get?x=y\n` +
        `201 POST part1,part2 h Bearer injected-secret\n` +
        `EACCES EACCES: network access to 127.0.0.1:${deniedPort} denied by the VM's egress policy (network.allow)\n`,
    );
  });

  it("with no policy everything is denied", async () => {
    const vm2 = await createNodeVm();
    try {
      await vm2.write(
        "/workspace/a.js",
        `fetch("http://127.0.0.1:${port}/").catch((e) => console.log(e.cause.code));`,
      );
      const r = await vm2.exec("node a.js");
      expect(r.stdout).toBe("EACCES\n");
    } finally {
      vm2.dispose();
    }
  });
});

describe("http.createServer on a VM port", () => {
  it("serves JSON to vmFetch; the server sees method, path, headers and body", async () => {
    await vm.write(
      "/workspace/server.js",
      `const http = require("http");
      const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          res.setHeader("Content-Type", "application/json");
          res.writeHead(200, { "X-Served-By": "vm" });
          res.write(JSON.stringify({ method: req.method, url: req.url, token: req.headers["x-token"], body }).slice(0, 10));
          res.end(JSON.stringify({ method: req.method, url: req.url, token: req.headers["x-token"], body }).slice(10));
          if (req.url === "/stop") server.close();
        });
      });
      server.listen(3000, () => console.log("listening", server.address().port));
      `,
    );
    const out: string[] = [];
    const done = vm.exec("node server.js").then((r) => out.push(r.stdout, r.stderr));
    const until = Date.now() + 5000;
    while (!listeningPorts(vm.kernel).includes(3000)) {
      if (Date.now() > until) throw new Error("server did not listen");
      await new Promise((r) => setTimeout(r, 5));
    }
    const res = await vmFetch(
      vm.kernel,
      3000,
      new Request("http://vm/x?y=1", { method: "POST", headers: { "x-token": "t1" }, body: "hello" }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("vm");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ method: "POST", url: "/x?y=1", token: "t1", body: "hello" });
    const get = await vmFetch(vm.kernel, 3000, new Request("http://vm/stop"));
    expect((await get.json()).method).toBe("GET");
    await done;
    expect(out).toEqual(["listening 3000\n", ""]);
    expect(listeningPorts(vm.kernel)).not.toContain(3000);
    await expect(vmFetch(vm.kernel, 3000, new Request("http://vm/"))).rejects.toThrow(/ECONNREFUSED/);
  });

  it("EADDRINUSE, status codes, and a server that exits without answering", async () => {
    await vm.write(
      "/workspace/server2.js",
      `const http = require("http");
      const a = http.createServer((req, res) => {
        if (req.url === "/die") process.exit(3);
        res.statusCode = 404;
        res.end("not here");
      }).listen(3001);
      http.createServer().listen(3001).on("error", (e) => console.log(e.code));
      `,
    );
    const done = vm.exec("node server2.js");
    const until = Date.now() + 5000;
    while (!listeningPorts(vm.kernel).includes(3001)) {
      if (Date.now() > until) throw new Error("server did not listen");
      await new Promise((r) => setTimeout(r, 5));
    }
    const res = await vmFetch(vm.kernel, 3001, new Request("http://vm/nothing"));
    expect(res.status).toBe(404);
    expect(res.statusText).toBe("Not Found");
    expect(await res.text()).toBe("not here");
    await expect(vmFetch(vm.kernel, 3001, new Request("http://vm/die"))).rejects.toThrow(/ECONNRESET/);
    const r = await done;
    expect(r.stdout).toBe("EADDRINUSE\n");
    expect(r.exitCode).toBe(3);
    void VM_USER;
  });
});
