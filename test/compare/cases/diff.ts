import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

// `diff -u` headers carry file times: cases drop them with `tail -n +3`.
const before = "alpha\nbeta\ngamma\ndelta\nepsilon\n";
const after = "alpha\nBETA\ngamma\nepsilon\nzeta\n";
const pair = { "old.txt": before, "new.txt": after };

export const diff: CaseFamily = {
  family: "diff",
  cases: [
    {
      name: "diff-identical",
      script: sh`cp old.txt same.txt; diff old.txt same.txt; echo "exit=$?"`,
      files: pair,
    },
    { name: "diff-normal-format", script: sh`diff old.txt new.txt; echo "exit=$?"`, files: pair },
    { name: "diff-unified-body", script: sh`diff -u old.txt new.txt | tail -n +3`, files: pair },
    {
      name: "diff-unified-headers-names",
      script: sh`diff -u old.txt new.txt | head -n 2 | cut -c1-12`,
      files: pair,
      skipReason:
        "diff (diffutils 0.3.4): unified headers carry no timestamp ('--- old.txt' without the tab and date)",
    },
    { name: "diff-unified-context-zero", script: sh`diff -U0 old.txt new.txt | tail -n +3`, files: pair },
    { name: "diff-brief", script: sh`diff -q old.txt new.txt; echo "exit=$?"`, files: pair },
    {
      name: "diff-ignore-whitespace-case",
      script: sh`diff -w a b; echo "w=$?"; diff -i a c; echo "i=$?"; diff -b a b; echo "b=$?"`,
      files: { a: "x y\nz\n", b: "x   y\nz  \n", c: "X Y\nZ\n" },
      skipReason: "diff (diffutils 0.3.4): no -b ('unknown option'); -w and -i work",
    },
    { name: "diff-stdin", script: sh`printf 'alpha\nbeta\n' | diff - old.txt`, files: pair },
    {
      name: "diff-recursive",
      script: sh`diff -r left right; echo "exit=$?"`,
      files: {
        "left/a.txt": "same\n",
        "left/b.txt": "old\n",
        "right/a.txt": "same\n",
        "right/b.txt": "new\n",
      },
    },
    {
      name: "diff-recursive-brief-only-in",
      script: sh`diff -rq left right | sort; echo "exit=$?"`,
      files: { "left/a.txt": "1\n", "left/only.txt": "2\n", "right/a.txt": "9\n" },
      skipReason:
        "diff (diffutils 0.3.4): combined short options are rejected ('unknown option: -rq'); 'diff -r -q' works (diff-recursive-brief-separate)",
    },
    {
      name: "diff-recursive-brief-separate",
      script: sh`diff -r -q left right | sort; echo "exit=$?"`,
      files: { "left/a.txt": "1\n", "left/only.txt": "2\n", "right/a.txt": "9\n" },
    },
    {
      name: "diff-added-to-empty",
      script: sh`touch empty; diff empty new.txt; echo "exit=$?"`,
      files: pair,
    },
    {
      name: "diff-missing-file",
      script: sh`diff old.txt nope.txt; echo "exit=$?"`,
      files: pair,
      compare: ["stdout", "exitCode"],
      note: "error wording differs between GNU diff and the Rust diff; exit status 2 is compared",
    },
    {
      name: "diff-no-newline-at-end",
      script: sh`printf 'a\nb' > x; printf 'a\nc\n' > y; diff x y; echo "exit=$?"`,
      skipReason: "diff (diffutils 0.3.4): no '\\ No newline at end of file' marker",
    },
  ],
};
