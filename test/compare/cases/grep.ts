import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

const log = "INFO start\nWARN disk low\nERROR failed to open file\ninfo lower\nERROR timeout\nINFO done\n";
const project = {
  "src/main.ts": 'import { helper } from "./util";\n// TODO: wire up\nhelper();\n',
  "src/util.ts": "export function helper() {\n  return 42; // TODO remove\n}\n",
  "README.md": "# Project\nSee TODO list.\n",
  "notes.txt": "nothing here\n",
};

export const grep: CaseFamily = {
  family: "grep",
  cases: [
    { name: "grep-basic", script: sh`grep ERROR app.log`, files: { "app.log": log } },
    { name: "grep-ignore-case", script: sh`grep -i info app.log`, files: { "app.log": log } },
    { name: "grep-invert", script: sh`grep -v INFO app.log`, files: { "app.log": log } },
    {
      name: "grep-count",
      script: sh`grep -c ERROR app.log; grep -ci info app.log`,
      files: { "app.log": log },
    },
    { name: "grep-line-numbers", script: sh`grep -n ERROR app.log`, files: { "app.log": log } },
    { name: "grep-word", script: sh`printf 'cat\ncatalog\nthe cat sat\n' | grep -w cat` },
    { name: "grep-whole-line", script: sh`printf 'cat\ncatalog\n cat\n' | grep -x cat` },
    {
      name: "grep-extended-alternation",
      script: sh`grep -E 'WARN|ERROR' app.log`,
      files: { "app.log": log },
    },
    { name: "grep-extended-repetition", script: sh`printf 'ab\naab\naaab\nb\n' | grep -E '^a{2,}b$'` },
    {
      name: "grep-basic-regex",
      script: sh`printf 'a.c\nabc\n' | grep 'a\.c'; printf 'x1\nxx22\n' | grep '^x*[0-9]\{2\}$'`,
    },
    {
      name: "grep-fixed-strings",
      script: sh`printf 'a.c\nabc\n[x]\n' | grep -F '.'; printf '[x]\n' | grep -F '[x]'`,
    },
    {
      name: "grep-only-matching",
      script: sh`echo 'id=12 code=345 x=6' | grep -oE '[0-9]+'`,
    },
    {
      name: "grep-context-after",
      script: sh`grep -A1 WARN app.log`,
      files: { "app.log": log },
    },
    {
      name: "grep-context-before-around",
      script: sh`grep -B1 timeout app.log; echo ==; grep -C1 disk app.log`,
      files: { "app.log": log },
    },
    {
      name: "grep-context-separator",
      script: sh`seq 20 | grep -A1 -E '^(3|9)$'`,
    },
    { name: "grep-multiple-patterns", script: sh`grep -e WARN -e done app.log`, files: { "app.log": log } },
    {
      name: "grep-max-count",
      script: sh`grep -m1 ERROR app.log`,
      files: { "app.log": log },
    },
    {
      name: "grep-quiet-exit-codes",
      script: sh`grep -q ERROR app.log; echo "found=$?"; grep -q NOPE app.log; echo "missing=$?"`,
      files: { "app.log": log },
    },
    { name: "grep-no-match-exit", script: sh`grep zzz app.log; echo "exit=$?"`, files: { "app.log": log } },
    {
      name: "grep-missing-file",
      script: sh`grep x nope.txt; echo "exit=$?"; grep -s x nope.txt; echo "exit=$?"`,
    },
    {
      name: "grep-recursive",
      script: sh`grep -r TODO . | sort`,
      files: project,
    },
    {
      name: "grep-recursive-line-numbers",
      script: sh`grep -rn TODO src | sort`,
      files: project,
    },
    {
      name: "grep-files-with-matches",
      script: sh`grep -rl TODO . | sort; echo --; grep -L TODO notes.txt README.md`,
      files: project,
    },
    {
      name: "grep-recursive-include",
      script: sh`grep -r --include='*.ts' helper . | sort`,
      files: project,
    },
    {
      name: "grep-with-without-filename",
      script: sh`grep -H Project README.md; grep -h TODO src/main.ts src/util.ts`,
      files: project,
    },
    { name: "grep-several-files-prefix", script: sh`grep TODO src/main.ts src/util.ts`, files: project },
    {
      name: "grep-count-several-files",
      script: sh`grep -c TODO src/main.ts src/util.ts notes.txt`,
      files: project,
    },
    { name: "grep-stdin-pipeline", script: sh`seq 30 | grep 3 | wc -l` },
    {
      name: "grep-pattern-file",
      script: sh`grep -f pats app.log`,
      files: { "app.log": log, pats: "disk\ntimeout\n" },
    },
    {
      name: "grep-character-classes",
      script: sh`printf 'abc\nABC\n123\n  \n' | grep '^[[:upper:]]'; printf 'abc\n123\n' | grep -c '[[:digit:]]'`,
    },
  ],
};
