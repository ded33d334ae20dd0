import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

// rg, fd, tree, yq, bc and a few utilities. Recorded with ripgrep 13, fd 8 (Debian's `fdfind`,
// linked as `fd`), tree 2 and python-yq; the VM's fd, tree and yq are small reimplementations, so
// cases keep to the flags both sides accept. rg and fd output order is unspecified: sorted.
const project = {
  "src/app.ts":
    'const apiKey = process.env.API_KEY;\nexport function main() {\n  // TODO: handle errors\n  return "ok";\n}\n',
  "src/lib/db.ts": "export const url = 'postgres://localhost';\n// todo lower\n",
  "tests/app.test.ts": "import { main } from '../src/app';\ntest('main', () => main());\n",
  "README.md": "# App\nTODO: write docs\n",
  ".env": "API_KEY=secret\n",
  "config.yaml": "name: app\nport: 8080\nitems:\n  - a\n  - b\n  - c\n",
};

export const misc: CaseFamily = {
  family: "misc",
  cases: [
    {
      name: "rg-basic-line-numbers",
      script: sh`rg -n TODO | sort`,
      files: project,
      skipReason:
        "rg (agent-os-ripgrep 0.0.260331072558, not ripgrep): without a path it always searches stdin, even /dev/null (ripgrep 13 then searches the current directory)",
    },
    { name: "rg-single-file", script: sh`rg -n return src/app.ts`, files: project },
    { name: "rg-ignore-case", script: sh`rg -i todo --no-heading -n . | sort`, files: project },
    { name: "rg-files-with-matches", script: sh`rg -l main . | sort`, files: project },
    {
      name: "rg-count",
      script: sh`rg -c export . | sort`,
      files: project,
      skipReason: "rg (agent-os-ripgrep 0.0.260331072558): -c also lists files with 0 matches",
    },
    {
      name: "rg-word-fixed",
      script: sh`rg -w -F 'main' src/app.ts; rg -F '(' tests/app.test.ts`,
      files: project,
      skipReason:
        "rg (agent-os-ripgrep 0.0.260331072558): always prints line numbers (ripgrep 13 does not when stdout is not a terminal)",
    },
    {
      name: "rg-glob-filter",
      script: sh`rg -l --glob '*.md' TODO .; rg -l -g '!*.md' TODO . | sort`,
      files: project,
      skipReason:
        "rg (agent-os-ripgrep 0.0.260331072558): when the glob leaves a single file, -l prints '(standard input)' instead of its name",
    },
    {
      name: "rg-hidden-skipped",
      script: sh`rg -l API_KEY . | sort; echo --; rg -l --hidden API_KEY . | sort`,
      files: project,
    },
    { name: "rg-no-match-exit", script: sh`rg nothing-matches-this .; echo "exit=$?"`, files: project },
    {
      name: "rg-only-matching",
      script: sh`rg -o '[a-z]+://[a-z]+' src/lib/db.ts`,
      files: project,
      skipReason:
        "rg (agent-os-ripgrep 0.0.260331072558): always prints line numbers (ripgrep 13 does not when stdout is not a terminal)",
    },
    {
      name: "rg-stdin",
      script: sh`printf 'alpha\nbeta\ngamma\n' | rg 'a$'`,
      skipReason:
        "rg (agent-os-ripgrep 0.0.260331072558): always prints line numbers (ripgrep 13 does not when stdout is not a terminal)",
    },
    {
      name: "rg-context",
      script: sh`rg -n -A1 'function' src/app.ts`,
      files: project,
      skipReason:
        "rg (agent-os-ripgrep 0.0.260331072558): no -A/-B/-C ('-A1' takes the pattern as its number)",
    },
    {
      name: "fd-by-extension",
      script: sh`fd -e ts | sort`,
      files: project,
      skipReason:
        "fd (agent-os-fd 0.0.260331072558, not sharkdp/fd): results carry a './' prefix (fd 8.6: none)",
    },
    {
      name: "fd-pattern",
      script: sh`fd app | sort`,
      files: project,
      skipReason:
        "fd (agent-os-fd 0.0.260331072558, not sharkdp/fd): results carry a './' prefix (fd 8.6: none)",
    },
    {
      name: "fd-type-directory",
      script: sh`fd -t d | sort`,
      files: project,
      skipReason:
        "fd (agent-os-fd 0.0.260331072558, not sharkdp/fd): results carry a './' prefix and directories no trailing '/' (fd 8.6: 'src/')",
    },
    {
      name: "fd-hidden",
      script: sh`fd -H env | sort`,
      files: project,
      skipReason:
        "fd (agent-os-fd 0.0.260331072558, not sharkdp/fd): results carry a './' prefix (fd 8.6: none)",
    },
    {
      name: "tree-default",
      script: sh`tree`,
      files: project,
      skipReason:
        "tree (agent-os-tree 0.0.260331072558): Unicode box-drawing lines under LC_ALL=C (tree 2.1: ASCII) and the directory count leaves out the root",
    },
    {
      name: "tree-depth-one",
      script: sh`tree -L 1`,
      files: project,
      skipReason:
        "tree (agent-os-tree 0.0.260331072558): Unicode box-drawing lines under LC_ALL=C (tree 2.1: ASCII) and the directory count leaves out the root",
    },
    {
      name: "tree-directories-only",
      script: sh`tree -d`,
      files: project,
      skipReason:
        "tree (agent-os-tree 0.0.260331072558): Unicode box-drawing lines under LC_ALL=C (tree 2.1: ASCII) and the directory count leaves out the root",
    },
    {
      name: "tree-all-files",
      script: sh`tree -a src`,
      files: project,
      skipReason:
        "tree (agent-os-tree 0.0.260331072558): Unicode box-drawing lines under LC_ALL=C (tree 2.1: ASCII) and the directory count leaves out the root",
    },
    {
      name: "yq-scalar",
      script: sh`yq -r '.name' config.yaml; yq '.port' config.yaml`,
      files: project,
      skipReason:
        "yq (agent-os-yq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "yq-array-length",
      script: sh`yq '.items | length' config.yaml; yq -r '.items[]' config.yaml`,
      files: project,
      skipReason:
        "yq (agent-os-yq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "yq-stdin",
      script: sh`yq -r '.name' < config.yaml; yq '.port' < config.yaml; yq '.items | length' < config.yaml; yq -r '.items[]' < config.yaml`,
      files: project,
      note: "the VM's yq reads stdin only (see yq-scalar), so this case feeds the same file through stdin",
    },
    {
      name: "bc-arithmetic",
      script: sh`echo '2^10' | bc; echo 'scale=3; 10/3' | bc; seq 5 | paste -sd+ | bc`,
    },
    {
      name: "printenv-and-env",
      script: sh`printenv LC_ALL TZ; env -i FOO=bar printenv FOO; env | grep -c '^PATH='`,
    },
    {
      name: "timeout-passes-status",
      script: sh`timeout 5 bash -c 'exit 3'; echo "exit=$?"; timeout 5 true; echo "exit=$?"`,
    },
    {
      name: "which-finds-command",
      script: sh`which nosuchcmd-xyz; echo "exit=$?"; which ls >/dev/null && echo found`,
    },
    {
      name: "strings-from-file",
      script: sh`printf 'ab\0\0hello world\0xy\0long enough\n' > bin; strings bin`,
    },
  ],
};
