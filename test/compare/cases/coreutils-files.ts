import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

const tree = {
  "a.txt": "alpha\n",
  "b.md": "# bee\n",
  ".hidden": "secret\n",
  "dir/c.txt": "gamma\n",
  "dir/sub/d.txt": "delta\n",
};

const errorNote = "error wording differs between GNU and uutils; stdout and the exit status are compared";

export const coreutilsFiles: CaseFamily = {
  family: "coreutils-files",
  cases: [
    { name: "files-ls-plain", script: sh`ls; ls -1`, files: tree },
    { name: "files-ls-all", script: sh`ls -a; echo --; ls -A`, files: tree },
    { name: "files-ls-directory-args", script: sh`ls dir a.txt`, files: tree },
    { name: "files-ls-recursive", script: sh`ls -R`, files: tree },
    {
      name: "files-ls-classify",
      script: sh`chmod +x b.md; ls -F`,
      files: tree,
      skipReason:
        "uutils ls 0.7.0 on WASI: -F never marks executables with '*' (that branch is cfg(unix)); '/' for directories works",
    },
    {
      name: "files-ls-dirs-only",
      script: sh`mkdir other; ls -d */`,
      files: tree,
      compare: ["stdout"],
      note: "brush 0.3.0 expands '*/' to every entry with '/' appended (it does not check for directories), so ls also reports 'a.txt/: Not a directory' on stderr and exits 2; the directories on stdout are compared",
    },
    { name: "files-ls-glob", script: sh`ls *.txt dir/*.txt`, files: tree },
    {
      name: "files-ls-sort-size-reverse",
      script: sh`ls -S; echo --; ls -r`,
      files: { small: "x\n", large: "x".repeat(300), medium: "x".repeat(40) },
    },
    {
      name: "files-ls-missing",
      script: sh`ls nope; echo "exit=$?"`,
      compare: ["stdout", "exitCode"],
      note: errorNote,
    },
    { name: "files-mkdir-parents", script: sh`mkdir -p a/b/c && mkdir -p a/b && ls -R a` },
    {
      name: "files-mkdir-existing",
      script: sh`mkdir d; mkdir d; echo "exit=$?"`,
      compare: ["stdout", "exitCode"],
      note: errorNote,
    },
    {
      name: "files-rmdir",
      script: sh`mkdir empty; rmdir empty; rmdir dir; echo "exit=$?"; ls`,
      files: tree,
      compare: ["stdout", "exitCode"],
      note: errorNote,
    },
    { name: "files-rm-recursive", script: sh`rm -r dir; rm a.txt; ls -A`, files: tree },
    {
      name: "files-rm-missing",
      script: sh`rm nope; echo "exit=$?"; rm -f nope; echo "exit=$?"`,
      compare: ["stdout", "exitCode"],
      note: errorNote,
    },
    {
      name: "files-rm-directory-without-r",
      script: sh`rm dir; echo "exit=$?"; ls -d dir`,
      files: tree,
      compare: ["stdout", "exitCode"],
      note: errorNote,
    },
    { name: "files-cp-file", script: sh`cp a.txt copy.txt; cat copy.txt; ls`, files: tree },
    { name: "files-cp-recursive", script: sh`cp -r dir dup; ls -R dup; cat dup/sub/d.txt`, files: tree },
    { name: "files-cp-into-directory", script: sh`mkdir d; cp a.txt b.md d/; ls d`, files: tree },
    {
      name: "files-cp-missing",
      script: sh`cp nope x; echo "exit=$?"; ls`,
      compare: ["stdout", "exitCode"],
      note: errorNote,
    },
    { name: "files-mv-rename", script: sh`mv a.txt z.txt; ls; cat z.txt`, files: tree },
    { name: "files-mv-into-directory", script: sh`mv a.txt b.md dir/; ls; echo --; ls dir`, files: tree },
    { name: "files-mv-directory", script: sh`mv dir renamed; ls -R renamed`, files: tree },
    {
      name: "files-ln-symlink",
      script: sh`ln -s a.txt link; readlink link; cat link; test -L link && echo is-link; stat -c %F link`,
      files: tree,
    },
    {
      name: "files-ln-symlink-force",
      script: sh`ln -s a.txt link; ln -sf b.md link; readlink link; cat link`,
      files: tree,
    },
    {
      name: "files-ln-dangling-symlink",
      script: sh`ln -s missing link; test -e link || echo dangling; test -L link && echo still-link`,
    },
    {
      name: "files-ln-hard-link",
      script: sh`ln a.txt hard; stat -c %h a.txt; echo more >> hard; cat a.txt`,
      files: tree,
      skipReason:
        "ln (coreutils 0.3.4 wasi-libc): hard links always fail with 'No such file or directory': the libc's linkat sends the new path as both source and target (agentOS wasi-libc patch 0042 fixes this later); ln -s works",
    },
    { name: "files-touch-creates-empty", script: sh`touch new; test -e new && echo exists; stat -c %s new` },
    {
      name: "files-stat-format",
      script: sh`stat -c '%n %s %F' a.txt; stat -c '%n %F' dir; stat -c %s dir/sub/d.txt`,
      files: tree,
    },
    {
      name: "files-chmod-modes",
      script: sh`chmod 600 a.txt; stat -c %a a.txt; chmod u+x,g+r a.txt; stat -c %a a.txt; chmod -R 755 dir; stat -c %a dir/sub/d.txt`,
      files: tree,
    },
    {
      name: "files-executable-script",
      script: sh`chmod +x run.sh; ./run.sh one two; test -x run.sh && echo executable`,
      files: { "run.sh": '#!/bin/bash\necho "ran with $# args: $*"\n' },
    },
    {
      name: "files-test-predicates",
      script: sh`[ -f a.txt ] && echo file; [ -d dir ] && echo dir; [ -e nope ] || echo missing; touch empty; [ -s empty ] || echo empty; [ -s a.txt ] && echo nonempty`,
      files: tree,
    },
    {
      name: "files-truncate",
      script: sh`truncate -s 3 a.txt; cat a.txt; echo; stat -c %s a.txt; truncate -s 10 a.txt; stat -c %s a.txt`,
      files: tree,
    },
    {
      name: "files-dd-slice",
      script: sh`dd if=a.txt bs=1 skip=1 count=3 status=none; echo`,
      files: tree,
    },
    {
      name: "files-cmp",
      script: sh`cmp a.txt a.txt && echo same; cmp a.txt other.txt; echo "exit=$?"`,
      files: { "a.txt": "hello\n", "other.txt": "help!\n" },
      skipReason:
        "cmp (coreutils 0.3.4): reports 'differ: byte 4, line 1' where GNU cmp 3.8 says 'differ: char 4, line 1'; statuses and -s are checked by files-cmp-status",
    },
    {
      name: "files-cmp-status",
      script: sh`cmp a.txt a.txt && echo same; cmp -s a.txt other.txt; echo "exit=$?"`,
      files: { "a.txt": "hello\n", "other.txt": "help!\n" },
    },
    {
      name: "files-mktemp-in-cwd",
      script: sh`f=$(mktemp -p . tmp.XXXXXX); test -f "$f" && echo created; ls | wc -l; d=$(mktemp -d -p .); test -d "$d" && echo dir`,
    },
    {
      name: "files-realpath-relative",
      script: sh`realpath -m --relative-to=. a/b/../c; realpath --relative-to=dir dir/sub/d.txt`,
      files: tree,
    },
    {
      name: "files-cat-directory",
      script: sh`cat dir; echo "exit=$?"`,
      files: tree,
      compare: ["stdout", "exitCode"],
      note: errorNote,
    },
    { name: "files-count-entries", script: sh`ls | wc -l; ls -A dir | wc -l`, files: tree },
  ],
};
