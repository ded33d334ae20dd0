import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

// find and fd list directory entries in readdir order, which differs between filesystems:
// every listing is piped through `sort`.
const project = {
  "README.md": "# demo\n",
  "src/index.ts": "export {};\n",
  "src/lib/util.ts": "export const x = 1;\n",
  "src/lib/Util.test.ts": "test();\n",
  "docs/guide.md": "guide\n",
  "docs/empty.txt": "",
  "build/out.js": "compiled();\n",
  ".git/HEAD": "ref: refs/heads/main\n",
};

export const findXargs: CaseFamily = {
  family: "find-xargs",
  cases: [
    { name: "find-everything", script: sh`find . | sort`, files: project },
    { name: "find-by-name", script: sh`find . -name '*.ts' | sort`, files: project },
    { name: "find-by-iname", script: sh`find src -iname 'util*' | sort`, files: project },
    { name: "find-type-directory", script: sh`find . -type d | sort`, files: project },
    { name: "find-type-file-maxdepth", script: sh`find . -maxdepth 1 -type f | sort`, files: project },
    { name: "find-mindepth", script: sh`find src -mindepth 2 | sort`, files: project },
    { name: "find-path-pattern", script: sh`find . -path './src/*' -name '*.ts' | sort`, files: project },
    {
      name: "find-not-and-or",
      script: sh`find . -type f \( -name '*.md' -o -name '*.js' \) | sort; echo --; find docs -type f ! -name '*.md'`,
      files: project,
    },
    { name: "find-prune", script: sh`find . -name .git -prune -o -type f -print | sort`, files: project },
    { name: "find-empty", script: sh`mkdir hollow; find . -empty | sort`, files: project },
    { name: "find-size", script: sh`find . -type f -size +10c | sort`, files: project },
    { name: "find-exec-each", script: sh`find docs -name '*.md' -exec cat {} \;`, files: project },
    { name: "find-exec-plus", script: sh`find src -name '*.ts' -exec wc -l {} + | sort`, files: project },
    { name: "find-delete", script: sh`find . -name '*.js' -delete; find build | sort`, files: project },
    { name: "find-count", script: sh`find . -type f | wc -l`, files: project },
    {
      name: "find-missing-start",
      script: sh`find nope; echo "exit=$?"`,
      compare: ["stdout", "exitCode"],
      note: "error wording differs between GNU find and the Rust find",
    },
    { name: "xargs-default-echo", script: sh`printf 'a\nb c\nd\n' | xargs; printf 'a b\n' | xargs echo got` },
    { name: "xargs-max-args", script: sh`seq 5 | xargs -n 2 echo` },
    { name: "xargs-replace", script: sh`printf 'x\ny\n' | xargs -I{} echo 'item {} done'` },
    {
      name: "xargs-null-separated",
      script: sh`find src -name '*.ts' -print0 | sort -z | xargs -0 cat`,
      files: project,
    },
    { name: "xargs-no-run-if-empty", script: sh`printf '' | xargs -r echo ran; echo "exit=$?"` },
    { name: "xargs-with-files", script: sh`find . -name '*.md' | sort | xargs grep -c .`, files: project },
    { name: "xargs-exit-status", script: sh`printf 'a\n' | xargs false; echo "exit=$?"` },
    { name: "xargs-run-shell", script: sh`seq 3 | xargs -I{} bash -c 'echo $(( {} * 10 ))'` },
  ],
};
