// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the scripts are JavaScript source text
/**
 * The node compatibility suite: small scripts with the stdout and exit code real Node prints.
 * Each case runs `cmd` through `sh -c` in /workspace after writing `files` there.
 */
export interface NodeCase {
  name: string;
  files?: Record<string, string>;
  /** Shell command; default `node main.js`. */
  cmd?: string;
  /** Script for main.js (shorthand for files["main.js"]). */
  js?: string;
  stdin?: string;
  stdout: string | RegExp;
  stderr?: RegExp;
  code?: number;
}

const pkgCjs = {
  "node_modules/cjs-pkg/package.json": JSON.stringify({
    name: "cjs-pkg",
    version: "1.0.0",
    main: "lib/index.js",
  }),
  "node_modules/cjs-pkg/lib/index.js":
    "const helper = require('./helper');\nmodule.exports = { greet: (n) => helper.wrap(`hello ${n}`), version: require('../package.json').version };\n",
  "node_modules/cjs-pkg/lib/helper.js": "exports.wrap = (s) => `[${s}]`;\n",
};
const pkgEsm = {
  "node_modules/esm-pkg/package.json": JSON.stringify({
    name: "esm-pkg",
    type: "module",
    exports: { ".": { import: "./src/index.js", require: "./cjs/index.cjs" }, "./util": "./src/util.js" },
  }),
  "node_modules/esm-pkg/src/index.js":
    "import { twice } from './util.js';\nexport const answer = twice(21);\nexport default function hi() { return 'esm hi'; }\n",
  "node_modules/esm-pkg/src/util.js": "export const twice = (x) => x * 2;\n",
  "node_modules/esm-pkg/cjs/index.cjs": "module.exports = { answer: 42, kind: 'cjs' };\n",
};

export const CASES: NodeCase[] = [
  // ---- process, console, CLI ------------------------------------------------------------------
  {
    name: "console.log basics",
    js: "console.log('a', 1, true, null, undefined, 'b');",
    stdout: "a 1 true null undefined b\n",
  },
  { name: "node -e", cmd: "node -e 'console.log(6*7)'", stdout: "42\n" },
  { name: "node -p", cmd: "node -p '[1,2].map(x => x * 3)'", stdout: "[ 3, 6 ]\n" },
  { name: "node --version", cmd: "node --version", stdout: /^v22\.\d+\.\d+\n$/ },
  { name: "node -v", cmd: "node -v", stdout: /^v22\./ },
  {
    name: "process.argv",
    js: "console.log(process.argv.slice(2).join(','))",
    cmd: "node main.js a 'b c' d",
    stdout: "a,b c,d\n",
  },
  { name: "process.argv[1] absolute", js: "console.log(process.argv[1])", stdout: "/workspace/main.js\n" },
  {
    name: "process.env",
    js: "console.log(process.env.FOO, typeof process.env.PATH)",
    cmd: "FOO=bar node main.js",
    stdout: "bar string\n",
  },
  {
    name: "process.exit code",
    js: "console.log('before'); process.exit(3); console.log('after');",
    stdout: "before\n",
    code: 3,
  },
  { name: "process.exitCode", js: "process.exitCode = 5; console.log('x');", stdout: "x\n", code: 5 },
  {
    name: "process.on exit",
    js: "process.on('exit', (c) => console.log('exit', c)); console.log('main');",
    stdout: "main\nexit 0\n",
  },
  {
    name: "process.cwd and chdir",
    js: "console.log(process.cwd()); process.chdir('/tmp'); console.log(process.cwd());",
    stdout: "/workspace\n/tmp\n",
  },
  {
    name: "process.platform",
    js: "console.log(process.platform, typeof process.pid, process.versions.node.split('.')[0])",
    stdout: "linux number 22\n",
  },
  {
    name: "process.hrtime",
    js: "const t = process.hrtime(); const d = process.hrtime(t); console.log(d.length, typeof process.hrtime.bigint())",
    stdout: "2 bigint\n",
  },
  {
    name: "process.stdout.write",
    js: "process.stdout.write('a'); process.stdout.write(Buffer.from('b')); process.stdout.write('c\\n');",
    stdout: "abc\n",
  },
  {
    name: "console.error to stderr",
    js: "console.error('oops'); console.log('ok');",
    stdout: "ok\n",
    stderr: /oops/,
  },
  {
    name: "uncaught error exits 1",
    js: "function boom() { throw new Error('kaboom'); }\nboom();",
    stdout: "",
    stderr: /Error: kaboom\n\s+at boom/,
    code: 1,
  },
  {
    name: "uncaughtException handler",
    js: "process.on('uncaughtException', (e) => console.log('caught', e.message)); setTimeout(() => { throw new Error('late'); }, 1);",
    stdout: "caught late\n",
  },
  { name: "syntax error", js: "let x = ;", stdout: "", stderr: /SyntaxError/, code: 1 },
  {
    name: "shebang script",
    files: { "tool.js": "#!/usr/bin/env node\nconsole.log('tool ran', process.argv.length)\n" },
    cmd: "chmod +x tool.js && ./tool.js x",
    stdout: "tool ran 3\n",
  },
  { name: "program from stdin", cmd: "echo 'console.log(40+2)' | node", stdout: "42\n" },
  {
    name: "console.table",
    js: "console.table([{a:1,b:'x'},{a:2,b:'y'}])",
    stdout:
      "┌─────────┬───┬─────┐\n│ (index) │ a │ b   │\n├─────────┼───┼─────┤\n│ 0       │ 1 │ 'x' │\n│ 1       │ 2 │ 'y' │\n└─────────┴───┴─────┘\n",
  },
  // ---- util.inspect and format --------------------------------------------------------------
  {
    name: "inspect nested",
    js: "console.log({ a: 1, b: 'two', c: [1, 2, { d: 3 }], e: { f: { g: { h: 1 } } } })",
    stdout: "{ a: 1, b: 'two', c: [ 1, 2, { d: 3 } ], e: { f: { g: [Object] } } }\n",
  },
  {
    name: "inspect multiline",
    js: "console.log({ alpha: 'aaaaaaaaaaaaaaaaaaaa', beta: 'bbbbbbbbbbbbbbbbbbbbbbb', gamma: 'cccccccccccccccccccccc' })",
    stdout:
      "{\n  alpha: 'aaaaaaaaaaaaaaaaaaaa',\n  beta: 'bbbbbbbbbbbbbbbbbbbbbbb',\n  gamma: 'cccccccccccccccccccccc'\n}\n",
  },
  {
    name: "inspect long array grouping",
    js: "console.log(Array.from({length: 30}, (_, i) => i))",
    stdout:
      "[\n   0,  1,  2,  3,  4,  5,  6,  7,  8,\n   9, 10, 11, 12, 13, 14, 15, 16, 17,\n  18, 19, 20, 21, 22, 23, 24, 25, 26,\n  27, 28, 29\n]\n",
  },
  {
    name: "inspect Map Set Date class",
    js: "class Foo { constructor() { this.x = 1; } }\nconsole.log(new Map([['a', 1]]), new Set([1, 2]), new Foo(), [undefined, null], new Date(0))",
    stdout: "Map(1) { 'a' => 1 } Set(2) { 1, 2 } Foo { x: 1 } [ undefined, null ] 1970-01-01T00:00:00.000Z\n",
  },
  {
    name: "inspect functions and symbols",
    js: "console.log(function foo() {}, () => {}, class Bar {}, Symbol('s'), 10n, -0)",
    stdout: "[Function: foo] [Function (anonymous)] [class Bar] Symbol(s) 10n -0\n",
  },
  {
    name: "inspect circular",
    js: "const o = { name: 'o' }; o.self = o; console.log(o)",
    stdout: "<ref *1> { name: 'o', self: [Circular *1] }\n",
  },
  {
    name: "util.format",
    js: "const util = require('util'); console.log(util.format('%s=%d %j %%', 'x', 42, {a:1}), util.format('a', 'b'))",
    stdout: 'x=42 {"a":1} % a b\n',
  },
  {
    name: "util.inspect options",
    js: "const util = require('util'); console.log(util.inspect({a:{b:{c:{d:{}}}}}, {depth: 0}), util.inspect('str'))",
    stdout: "{ a: [Object] } 'str'\n",
  },
  {
    name: "util.promisify",
    js: "const util = require('util'); const f = (x, cb) => setTimeout(() => cb(null, x * 2), 1); util.promisify(f)(21).then(console.log)",
    stdout: "42\n",
  },
  {
    name: "util.types and isDeepStrictEqual",
    js: "const util = require('util'); console.log(util.types.isPromise(Promise.resolve()), util.isDeepStrictEqual({a:[1]}, {a:[1]}), util.inherits.length)",
    stdout: "true true 2\n",
  },
  {
    name: "error inspect",
    js: "try { null.x } catch (e) { console.log(e instanceof TypeError, e.name) }",
    stdout: "true TypeError\n",
  },
  {
    name: "error stack has header",
    js: "const e = new Error('msg'); console.log(e.stack.split('\\n')[0]); class MyErr extends Error {}; console.log(new MyErr('m') instanceof MyErr, new MyErr('m') instanceof Error)",
    stdout: "Error: msg\ntrue true\n",
  },
  // ---- timers and the event loop ------------------------------------------------------------
  {
    name: "timer ordering",
    js: "setTimeout(() => console.log('timeout'), 0); setImmediate(() => console.log('immediate')); Promise.resolve().then(() => console.log('micro')); process.nextTick(() => console.log('tick')); console.log('sync');",
    stdout: /^sync\ntick\nmicro\n(timeout\nimmediate|immediate\ntimeout)\n$/,
  },
  {
    name: "setTimeout delays order",
    js: "setTimeout(() => console.log(3), 30); setTimeout(() => console.log(1), 5); setTimeout(() => console.log(2), 15);",
    stdout: "1\n2\n3\n",
  },
  {
    name: "setInterval and clearInterval",
    js: "let n = 0; const t = setInterval(() => { n++; console.log('tick', n); if (n === 3) clearInterval(t); }, 2);",
    stdout: "tick 1\ntick 2\ntick 3\n",
  },
  {
    name: "clearTimeout",
    js: "const t = setTimeout(() => console.log('no'), 5); clearTimeout(t); setTimeout(() => console.log('yes'), 10);",
    stdout: "yes\n",
  },
  {
    name: "unref timer does not hold",
    js: "setTimeout(() => console.log('never'), 5000).unref(); console.log('done');",
    stdout: "done\n",
  },
  {
    name: "queueMicrotask",
    js: "queueMicrotask(() => console.log('b')); console.log('a');",
    stdout: "a\nb\n",
  },
  {
    name: "async/await sleep",
    js: "const sleep = (ms) => new Promise(r => setTimeout(r, ms));\n(async () => { const t = Date.now(); await sleep(50); console.log(Date.now() - t >= 45); })();",
    stdout: "true\n",
  },
  {
    name: "timers/promises",
    js: "const { setTimeout: wait } = require('timers/promises'); wait(5, 'v').then(console.log);",
    stdout: "v\n",
  },
  {
    name: "beforeExit",
    js: "let once = false; process.on('beforeExit', () => { if (!once) { once = true; setTimeout(() => console.log('more'), 1); } }); console.log('main');",
    stdout: "main\nmore\n",
  },
  // ---- Buffer and encoding ------------------------------------------------------------------
  {
    name: "Buffer encodings",
    js: "const b = Buffer.from('héllo'); console.log(b.length, b.toString('hex'), b.toString('base64'), Buffer.from('aGk=', 'base64').toString())",
    stdout: "6 68c3a96c6c6f aMOpbGxv hi\n",
  },
  {
    name: "Buffer concat slice",
    js: "const b = Buffer.concat([Buffer.from('ab'), Buffer.from('cd')]); console.log(b.toString(), b.slice(1, 3).toString(), b.subarray(2).toString(), Buffer.alloc(3, 'x').toString())",
    stdout: "abcd bc cd xxx\n",
  },
  {
    name: "Buffer inspect and json",
    js: "console.log(Buffer.from('hi'), JSON.stringify(Buffer.from([1,2])))",
    stdout: '<Buffer 68 69> {"type":"Buffer","data":[1,2]}\n',
  },
  {
    name: "Buffer numbers",
    js: "const b = Buffer.alloc(8); b.writeUInt32BE(0xdeadbeef, 0); b.writeInt16LE(-2, 4); console.log(b.readUInt32BE(0).toString(16), b.readInt16LE(4), b.equals(Buffer.from(b)), Buffer.byteLength('€'))",
    stdout: "deadbeef -2 true 3\n",
  },
  {
    name: "TextEncoder/TextDecoder",
    js: "const u = new TextEncoder().encode('€'); console.log(u, new TextDecoder().decode(u))",
    stdout: "Uint8Array(3) [ 226, 130, 172 ] €\n",
  },
  { name: "atob btoa", js: "console.log(btoa('hello'), atob('aGVsbG8='))", stdout: "aGVsbG8= hello\n" },
  {
    name: "structuredClone",
    js: "const o = { a: [1, { b: 2 }], d: new Date(0), m: new Map([[1, 2]]) }; const c = structuredClone(o); console.log(c.a[1] !== o.a[1], c.d.getTime(), c.m.get(1))",
    stdout: "true 0 2\n",
  },
  {
    name: "URL",
    js: "const u = new URL('https://user@example.com:8080/a/b/../c?x=1&y=2#frag'); console.log(u.hostname, u.port, u.pathname, u.searchParams.get('y'), u.hash, u.origin); console.log(new URL('../d', 'http://h/a/b/c').href)",
    stdout: "example.com 8080 /a/c 2 #frag https://example.com:8080\nhttp://h/a/d\n",
  },
  {
    name: "URLSearchParams",
    js: "const p = new URLSearchParams('a=1&b=x%20y'); p.append('c', '3'); console.log(p.toString(), [...p.keys()].join(','))",
    stdout: "a=1&b=x+y&c=3 a,b,c\n",
  },
  // ---- fs ---------------------------------------------------------------------------------
  {
    name: "fs write/read sync",
    js: "const fs = require('fs'); fs.writeFileSync('out.txt', 'data'); fs.appendFileSync('out.txt', '+more'); console.log(fs.readFileSync('out.txt', 'utf8'), fs.existsSync('out.txt'), fs.existsSync('nope'))",
    stdout: "data+more true false\n",
  },
  {
    name: "fs stat",
    js: "const fs = require('fs'); fs.writeFileSync('f', '12345'); const s = fs.statSync('f'); console.log(s.size, s.isFile(), s.isDirectory(), fs.statSync('.').isDirectory(), s.mtime instanceof Date)",
    stdout: "5 true false true true\n",
  },
  {
    name: "fs mkdir recursive and readdir",
    js: "const fs = require('fs'); fs.mkdirSync('a/b/c', { recursive: true }); fs.writeFileSync('a/b/file.txt', ''); console.log(fs.readdirSync('a/b').join(','), fs.readdirSync('a/b', { withFileTypes: true }).map(d => d.name + ':' + d.isDirectory()).join(','))",
    stdout: "c,file.txt c:true,file.txt:false\n",
  },
  {
    name: "fs rm recursive, rename, unlink, copyFile",
    js: "const fs = require('fs'); fs.mkdirSync('d/e', { recursive: true }); fs.writeFileSync('d/e/x', '1'); fs.copyFileSync('d/e/x', 'y'); fs.renameSync('y', 'z'); console.log(fs.readFileSync('z', 'utf8')); fs.unlinkSync('z'); fs.rmSync('d', { recursive: true }); console.log(fs.existsSync('d'), fs.existsSync('z'))",
    stdout: "1\nfalse false\n",
  },
  {
    name: "fs ENOENT error",
    js: "const fs = require('fs'); try { fs.readFileSync('/nope/x') } catch (e) { console.log(e.code, e.syscall, e.errno, e.message) }",
    stdout: "ENOENT open -2 ENOENT: no such file or directory, open '/nope/x'\n",
  },
  {
    name: "fs callback API",
    js: "const fs = require('fs'); fs.writeFile('cb.txt', 'hello', (err) => { fs.readFile('cb.txt', 'utf8', (err2, d) => console.log(err, err2, d)); });",
    stdout: "null null hello\n",
  },
  {
    name: "fs.promises",
    js: "const fsp = require('fs/promises'); (async () => { await fsp.writeFile('p.txt', 'prom'); await fsp.mkdir('pd/q', { recursive: true }); console.log(await fsp.readFile('p.txt', 'utf8'), (await fsp.readdir('pd')).join(), (await fsp.stat('p.txt')).size); try { await fsp.access('none') } catch (e) { console.log(e.code) } })()",
    stdout: "prom q 4\nENOENT\n",
  },
  {
    name: "fs.promises open FileHandle",
    js: "const fs = require('fs'); (async () => { const h = await fs.promises.open('fh.txt', 'w'); await h.write('abc'); await h.close(); console.log(fs.readFileSync('fh.txt', 'latin1')); })()",
    stdout: "abc\n",
  },
  {
    name: "fs streams",
    js: "const fs = require('fs'); const w = fs.createWriteStream('s.txt'); w.write('line1\\n'); w.end('line2\\n'); w.on('finish', () => { let out = ''; fs.createReadStream('s.txt', 'utf8').on('data', (c) => out += c).on('end', () => console.log(JSON.stringify(out))); });",
    stdout: '"line1\\nline2\\n"\n',
  },
  {
    name: "fs pipe stream to stdout",
    files: { "in.txt": "piped through\n" },
    js: "require('fs').createReadStream('in.txt').pipe(process.stdout)",
    stdout: "piped through\n",
  },
  {
    name: "fs readdir recursive, lstat, symlink",
    js: "const fs = require('fs'); fs.mkdirSync('r/s', { recursive: true }); fs.writeFileSync('r/s/t', ''); fs.symlinkSync('r/s/t', 'link'); console.log(fs.readdirSync('r', { recursive: true }).join(','), fs.lstatSync('link').isSymbolicLink(), fs.readlinkSync('link'), fs.realpathSync('link'))",
    stdout: "s,s/t true r/s/t /workspace/r/s/t\n",
  },
  {
    name: "fs open/read/write fd",
    js: "const fs = require('fs'); const fd = fs.openSync('fd.txt', 'w+'); fs.writeSync(fd, 'hello world'); const b = Buffer.alloc(5); fs.readSync(fd, b, 0, 5, 6); fs.closeSync(fd); console.log(b.toString())",
    stdout: "world\n",
  },
  {
    name: "fs mkdtemp and tmpdir",
    js: "const fs = require('fs'), os = require('os'), path = require('path'); const d = fs.mkdtempSync(path.join(os.tmpdir(), 'x-')); console.log(d.startsWith('/tmp/x-'), fs.statSync(d).isDirectory())",
    stdout: "true true\n",
  },
  {
    name: "fs readFileSync /dev/stdin",
    cmd: "printf 'in data' | node -e \"console.log(require('fs').readFileSync(0, 'utf8').toUpperCase())\"",
    stdout: "IN DATA\n",
  },
  // ---- path, os -----------------------------------------------------------------------------
  {
    name: "path",
    js: "const p = require('path'); console.log(p.join('/a', 'b', '../c', './d.txt'), p.resolve('x'), p.basename('/a/b.txt', '.txt'), p.extname('f.tar.gz'), p.dirname('/a/b/c'), p.relative('/a/b', '/a/c/d'), p.normalize('a//b/../c/'), p.isAbsolute('a'))",
    stdout: "/a/c/d.txt /workspace/x b .gz /a/b ../c/d a/c/ false\n",
  },
  {
    name: "path.parse/format",
    js: "const p = require('path'); const o = p.parse('/home/u/file.txt'); console.log(o.root, o.dir, o.base, o.ext, o.name, p.format(o), p.sep, p.posix === p)",
    stdout: "/ /home/u file.txt .txt file /home/u/file.txt / true\n",
  },
  {
    name: "os",
    js: "const os = require('os'); console.log(os.platform(), os.EOL === '\\n', os.homedir(), os.hostname(), os.userInfo().username, typeof os.cpus().length, os.tmpdir())",
    stdout: "linux true /home/agentos agentos agentos number /tmp\n",
  },
  // ---- events, stream, readline -----------------------------------------------------------
  {
    name: "EventEmitter",
    js: "const EventEmitter = require('events'); const e = new EventEmitter(); e.on('x', (a, b) => console.log('x', a, b)); e.once('y', () => console.log('y once')); e.emit('x', 1, 2); e.emit('y'); e.emit('y'); console.log(e.listenerCount('x'), e.emit('nothing'))",
    stdout: "x 1 2\ny once\n1 false\n",
  },
  {
    name: "EventEmitter error and once()",
    js: "const { EventEmitter, once } = require('events'); const e = new EventEmitter(); try { e.emit('error', new Error('bad')) } catch (err) { console.log('threw', err.message) } once(e, 'ready').then(([v]) => console.log('ready', v)); e.emit('ready', 7);",
    stdout: "threw bad\nready 7\n",
  },
  {
    name: "class extends EventEmitter",
    js: "const EE = require('node:events'); class Job extends EE { run() { this.emit('done', 'ok'); } } const j = new Job(); j.on('done', console.log); j.run();",
    stdout: "ok\n",
  },
  {
    name: "stream Readable/Transform/pipeline",
    js: "const { Readable, Transform, Writable, pipeline } = require('stream'); const up = new Transform({ transform(c, e, cb) { cb(null, c.toString().toUpperCase()); } }); let out = ''; const sink = new Writable({ write(c, e, cb) { out += c; cb(); } }); pipeline(Readable.from(['a', 'b', 'c']), up, sink, (err) => console.log(err, out));",
    stdout: "undefined ABC\n",
  },
  {
    name: "stream async iteration",
    js: "const { Readable } = require('stream'); (async () => { let s = ''; for await (const c of Readable.from(['x', 'y'])) s += c; console.log(s); })()",
    stdout: "xy\n",
  },
  {
    name: "stdin data events",
    cmd: "printf 'abc\\ndef\\n' | node main.js",
    js: "let n = 0; process.stdin.on('data', (c) => n += c.length); process.stdin.on('end', () => console.log('bytes', n));",
    stdout: "bytes 8\n",
  },
  {
    name: "stdin async iterator",
    cmd: "printf 'x\\ny\\n' | node main.js",
    js: "(async () => { const chunks = []; for await (const c of process.stdin) chunks.push(c); console.log(Buffer.concat(chunks).toString().trim().split('\\n')); })()",
    stdout: "[ 'x', 'y' ]\n",
  },
  {
    name: "readline lines",
    cmd: "printf 'one\\ntwo\\nthree' | node main.js",
    js: "const rl = require('readline').createInterface({ input: process.stdin }); const lines = []; rl.on('line', (l) => lines.push(l)); rl.on('close', () => console.log(lines.join('|')));",
    stdout: "one|two|three\n",
  },
  {
    name: "readline async iterator",
    cmd: "printf 'a\\nb\\n' | node main.js",
    js: "const readline = require('readline'); (async () => { let n = 0; for await (const line of readline.createInterface({ input: process.stdin })) n += line.length; console.log('total', n); })()",
    stdout: "total 2\n",
  },
  {
    name: "stdin filter sum",
    files: {
      "sum.js":
        "let buf = '';\nprocess.stdin.setEncoding('utf8');\nprocess.stdin.on('data', (d) => buf += d);\nprocess.stdin.on('end', () => console.log(buf.split('\\n').filter(Boolean).reduce((a, b) => a + Number(b), 0)));\n",
    },
    cmd: "seq 1000 | node sum.js",
    stdout: "500500\n",
  },
  {
    name: "node in a pipeline",
    cmd: "echo hello | node -e \"process.stdin.on('data', d => process.stdout.write(d.toString().toUpperCase()))\" | tr H J",
    stdout: "JELLO\n",
  },
  // ---- child_process ----------------------------------------------------------------------
  {
    name: "execSync ls | wc -l",
    files: { "d/a": "", "d/b": "", "d/c": "" },
    js: "const { execSync } = require('child_process'); console.log(execSync('ls d | wc -l').toString().trim());",
    stdout: "3\n",
  },
  {
    name: "spawnSync",
    js: "const { spawnSync } = require('child_process'); const r = spawnSync('echo', ['hi', 'there'], { encoding: 'utf8' }); console.log(r.status, JSON.stringify(r.stdout));",
    stdout: '0 "hi there\\n"\n',
  },
  {
    name: "spawnSync input and exit status",
    js: "const { spawnSync } = require('child_process'); const r = spawnSync('sh', ['-c', 'cat; exit 4'], { input: 'fed' }); console.log(r.status, r.stdout.toString());",
    stdout: "4 fed\n",
  },
  {
    name: "execSync failure throws",
    js: "const { execSync } = require('child_process'); try { execSync('exit 2', { stdio: 'pipe' }) } catch (e) { console.log('status', e.status) }",
    stdout: "status 2\n",
  },
  {
    name: "exec callback",
    js: "const { exec } = require('child_process'); exec('echo out; echo err >&2', (err, stdout, stderr) => console.log(err, stdout.trim(), stderr.trim()));",
    stdout: "null out err\n",
  },
  {
    name: "spawn with data events",
    js: "const { spawn } = require('child_process'); const c = spawn('sh', ['-c', 'echo one; sleep 0.05; echo two']); let out = ''; c.stdout.on('data', (d) => out += d); c.on('close', (code) => console.log(code, JSON.stringify(out)));",
    stdout: '0 "one\\ntwo\\n"\n',
  },
  {
    name: "spawn stdin pipe",
    js: "const { spawn } = require('child_process'); const c = spawn('tr', ['a-z', 'A-Z']); c.stdout.on('data', (d) => process.stdout.write(d)); c.on('close', (code) => console.log('exit', code)); c.stdin.write('shout\\n'); c.stdin.end();",
    stdout: "SHOUT\nexit 0\n",
  },
  {
    name: "spawn inherit stdio",
    js: "const { spawnSync } = require('child_process'); spawnSync('echo', ['inherited'], { stdio: 'inherit' }); console.log('after');",
    stdout: "inherited\nafter\n",
  },
  {
    name: "promisified exec",
    js: "const util = require('util'); const exec = util.promisify(require('child_process').exec); exec('printf promised').then(({ stdout }) => console.log(stdout));",
    stdout: "promised\n",
  },
  {
    name: "spawn ENOENT",
    js: "const { spawn } = require('child_process'); spawn('no-such-cmd').on('error', (e) => console.log('error', e.code));",
    stdout: "error ENOENT\n",
  },
  {
    name: "node spawns node",
    js: "const { execFileSync } = require('child_process'); console.log(execFileSync('node', ['-p', '2**10']).toString().trim());",
    stdout: "1024\n",
  },
  // ---- crypto, assert ---------------------------------------------------------------------
  {
    name: "crypto hashes",
    js: "const c = require('crypto'); console.log(c.createHash('md5').update('abc').digest('hex')); console.log(c.createHash('sha1').update('abc').digest('hex')); console.log(c.createHash('sha256').update('a').update('bc').digest('base64'));",
    stdout:
      "900150983cd24fb0d6963f7d28e17f72\na9993e364706816aba3e25717850c26c9cd0d89d\nungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\n",
  },
  {
    name: "crypto hmac, random",
    js: "const c = require('crypto'); console.log(c.createHmac('sha256', 'key').update('msg').digest('hex').slice(0, 16), c.randomBytes(8).length, /^[0-9a-f-]{36}$/.test(c.randomUUID()), typeof crypto.randomUUID())",
    stdout: "2d93cbc1be167bcb 8 true string\n",
  },
  {
    name: "assert passes",
    js: "const assert = require('assert'); assert.ok(1); assert.equal(1, '1'); assert.strictEqual(2, 2); assert.deepStrictEqual({a:[1,{b:2}]}, {a:[1,{b:2}]}); assert.throws(() => { throw new TypeError('x') }, TypeError); assert.notStrictEqual(1, 2); console.log('all ok');",
    stdout: "all ok\n",
  },
  {
    name: "assert failure",
    js: "const assert = require('assert'); try { assert.strictEqual(1, 2) } catch (e) { console.log(e.code, e.name, e.actual, e.expected) } assert.deepStrictEqual([1], [2]);",
    stdout: "ERR_ASSERTION AssertionError 1 2\n",
    stderr: /AssertionError/,
    code: 1,
  },
  {
    name: "assert/strict and rejects",
    js: "const assert = require('node:assert/strict'); assert.rejects(Promise.reject(new Error('r')), /r/).then(() => console.log('rejected ok'));",
    stdout: "rejected ok\n",
  },
  // ---- modules ----------------------------------------------------------------------------
  {
    name: "require relative + json + cache",
    files: {
      "lib/math.js":
        "let loads = (globalThis.loads || 0) + 1; globalThis.loads = loads;\nexports.add = (a, b) => a + b;\n",
      "data.json": '{"v": 9}',
    },
    js: "const m = require('./lib/math'); require('./lib/math.js'); console.log(m.add(2, 3), require('./data.json').v, globalThis.loads, require.resolve('./lib/math'));",
    stdout: "5 9 1 /workspace/lib/math.js\n",
  },
  {
    name: "require directory index",
    files: { "dir/index.js": "module.exports = 'from index';" },
    js: "console.log(require('./dir'))",
    stdout: "from index\n",
  },
  {
    name: "CommonJS package in node_modules",
    files: pkgCjs,
    js: "const p = require('cjs-pkg'); console.log(p.greet('vm'), p.version)",
    stdout: "[hello vm] 1.0.0\n",
  },
  {
    name: "node_modules walk-up",
    files: { ...pkgCjs, "sub/deep/x.js": "module.exports = require('cjs-pkg').greet('deep');" },
    js: "console.log(require('./sub/deep/x'))",
    stdout: "[hello deep]\n",
  },
  {
    name: "ESM package in node_modules",
    files: {
      ...pkgEsm,
      "main.mjs":
        "import hi, { answer } from 'esm-pkg';\nimport { twice } from 'esm-pkg/util';\nconsole.log(hi(), answer, twice(4));\n",
    },
    cmd: "node main.mjs",
    stdout: "esm hi 42 8\n",
  },
  {
    name: "exports require condition",
    files: pkgEsm,
    js: "console.log(require('esm-pkg'))",
    stdout: "{ answer: 42, kind: 'cjs' }\n",
  },
  {
    name: "ESM imports builtins and CJS",
    files: {
      "lib.cjs": "module.exports = { n: 5, f() { return 'f'; } };",
      "main.mjs":
        "import fs, { readFileSync } from 'node:fs';\nimport path from 'path';\nimport lib, { n } from './lib.cjs';\nconsole.log(typeof fs.statSync, typeof readFileSync, path.basename(import.meta.url), n, lib.f());\n",
    },
    cmd: "node main.mjs",
    stdout: "function function main.mjs 5 f\n",
  },
  {
    name: "type module package",
    files: {
      "package.json": '{"type":"module"}',
      "util.js": "export const x = 1;",
      "main.js": "import { x } from './util.js';\nconsole.log('esm', x, typeof require);\n",
    },
    stdout: "esm 1 undefined\n",
  },
  {
    name: "ESM syntax detection in a .js file",
    files: {
      "lib.js": "export const v = 'detected';",
      "main.js": "import { v } from './lib.js';\nconsole.log(v);\n",
    },
    stdout: "detected\n",
  },
  {
    name: "CJS file mentioning import in a string",
    js: "const s = `\nimport x from 'y'`;\nconsole.log(typeof module, s.trim());",
    stdout: "object import x from 'y'\n",
  },
  {
    name: "top-level await",
    files: {
      "main.mjs": "const v = await new Promise((r) => setTimeout(() => r('tla'), 5));\nconsole.log(v);\n",
    },
    cmd: "node main.mjs",
    stdout: "tla\n",
  },
  {
    name: "dynamic import from CJS",
    files: { "m.mjs": "export default 'dyn';" },
    js: "import('./m.mjs').then((m) => console.log(m.default));",
    stdout: "dyn\n",
  },
  {
    name: "import.meta and createRequire",
    files: {
      "x.json": "[1,2]",
      "main.mjs":
        "import { createRequire } from 'module';\nconst require = createRequire(import.meta.url);\nconsole.log(require('./x.json').length, import.meta.filename, import.meta.dirname);\n",
    },
    cmd: "node main.mjs",
    stdout: "2 /workspace/main.mjs /workspace\n",
  },
  {
    name: "missing module (CJS)",
    js: "try { require('nope-pkg') } catch (e) { console.log(e.code, e.message.split('\\n')[0]) }",
    stdout: "MODULE_NOT_FOUND Cannot find module 'nope-pkg'\n",
  },
  {
    name: "missing module (ESM)",
    files: { "main.mjs": "import('./missing.js').catch((e) => console.log(e.code));\n" },
    cmd: "node main.mjs",
    stdout: "ERR_MODULE_NOT_FOUND\n",
  },
  {
    name: "missing script",
    cmd: "node nothere.js",
    stdout: "",
    stderr: /Cannot find module '\/workspace\/nothere.js'/,
    code: 1,
  },
  {
    name: "node: prefix and builtinModules",
    js: "const m = require('node:module'); console.log(require('node:path') === require('path'), m.builtinModules.includes('fs'), m.isBuiltin('node:os'))",
    stdout: "true true true\n",
  },
  {
    name: "module.exports cycle",
    files: {
      "a.js": "exports.a = 1; const b = require('./b'); exports.fromB = b.b;",
      "b.js": "const a = require('./a'); exports.b = 'b saw ' + a.a;",
    },
    js: "console.log(require('./a').fromB)",
    stdout: "b saw 1\n",
  },
  {
    name: "__filename __dirname",
    files: { "sub/w.js": "module.exports = [__filename, __dirname];" },
    js: "console.log(require('./sub/w').join(' '))",
    stdout: "/workspace/sub/w.js /workspace/sub\n",
  },
  // ---- misc -------------------------------------------------------------------------------
  {
    name: "http server listens on a VM port and closes",
    js: "const http = require('http'); const s = http.createServer(); s.listen(0, () => { console.log(typeof s.address().port, http.STATUS_CODES[404]); s.close(() => console.log('closed')); })",
    stdout: "number Not Found\nclosed\n",
  },
  {
    name: "fetch is denied by default (egress policy)",
    js: "fetch('http://example.com/').catch((e) => console.log(e.name, e.cause.code, e.message.includes('example.com:80')))",
    stdout: "TypeError EACCES true\n",
  },
  {
    name: "querystring and string_decoder",
    js: "const qs = require('querystring'); const { StringDecoder } = require('string_decoder'); const d = new StringDecoder('utf8'); const e = Buffer.from('€'); console.log(qs.stringify({ a: 1, b: ['x', 'y'] }), qs.parse('a=1&a=2').a, d.write(e.subarray(0, 1)) + d.write(e.subarray(1)))",
    stdout: "a=1&b=x&b=y [ '1', '2' ] €\n",
  },
  {
    name: "AbortController",
    js: "const c = new AbortController(); c.signal.addEventListener('abort', () => console.log('aborted', c.signal.aborted)); c.abort();",
    stdout: "aborted true\n",
  },
  {
    name: "JSON and modern JS",
    js: "const o = Object.groupBy([1,2,3,4], (x) => x % 2 ? 'odd' : 'even'); console.log(JSON.stringify(o), [3,1,2].toSorted().join(), 'abc'.at(-1), structuredClone([1]).length)",
    stdout: '{"odd":[1,3],"even":[2,4]} 1,2,3 c 1\n',
  },
  {
    name: "vm.runInThisContext",
    js: "const vm = require('vm'); console.log(vm.runInThisContext('1 + 2'), vm.runInNewContext('a * b', { a: 3, b: 4 }))",
    stdout: "3 12\n",
  },
  {
    name: "performance.now",
    js: "const t = performance.now(); console.log(typeof t, t >= 0, typeof require('perf_hooks').performance.now())",
    stdout: "number true number\n",
  },
];
