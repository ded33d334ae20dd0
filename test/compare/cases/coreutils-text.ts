import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

const poem = "The quick brown fox\njumps over\n\nthe lazy dog\nand runs away\n";
const nums = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";

export const coreutilsText: CaseFamily = {
  family: "coreutils-text",
  cases: [
    { name: "text-echo-words", script: sh`echo hello   world; echo "hello   world"` },
    { name: "text-echo-no-newline", script: sh`echo -n abc; echo def` },
    { name: "text-echo-escapes", script: sh`echo -e 'a\tb\nc'; echo 'a\tb'` },
    {
      name: "text-printf-formats",
      script: sh`printf '%s=%d %05.2f %x %o %%\n' name 42 3.14159 255 8; printf '%-5s|%5s|\n' ab cd`,
    },
    { name: "text-printf-reuses-format", script: sh`printf '%s-%s\n' a b c d e` },
    { name: "text-cat-number-lines", script: sh`cat -n poem.txt`, files: { "poem.txt": poem } },
    {
      name: "text-cat-several-files",
      script: sh`cat a.txt - b.txt`,
      files: { "a.txt": "from a\n", "b.txt": "from b\n" },
      stdin: "from stdin\n",
    },
    { name: "text-cat-show-all", script: sh`printf 'a\tb \r\nend' | cat -A` },
    { name: "text-cat-squeeze-blank", script: sh`printf 'a\n\n\n\nb\n\nc\n' | cat -s` },
    {
      name: "text-cat-missing-file",
      script: sh`cat nope.txt; echo "exit=$?"`,
      compare: ["stdout", "exitCode"],
      note: "the error wording of uutils may differ from GNU; stdout carries the exit status",
    },
    {
      name: "text-head-default-and-n",
      script: sh`seq 20 | head; head -n 3 nums.txt`,
      files: { "nums.txt": nums },
    },
    { name: "text-head-bytes", script: sh`head -c 7 poem.txt; echo`, files: { "poem.txt": poem } },
    { name: "text-head-all-but-last", script: sh`seq 10 | head -n -3` },
    {
      name: "text-head-several-files",
      script: sh`head -n 1 a.txt b.txt`,
      files: { "a.txt": "a1\na2\n", "b.txt": "b1\nb2\n" },
    },
    {
      name: "text-tail-lines",
      script: sh`seq 20 | tail -n 3; tail -2 nums.txt`,
      files: { "nums.txt": nums },
    },
    { name: "text-tail-from-line", script: sh`tail -n +10 nums.txt`, files: { "nums.txt": nums } },
    { name: "text-tail-bytes", script: sh`printf 'abcdefgh' | tail -c 3; echo` },
    {
      name: "text-wc-counts",
      script: sh`wc poem.txt; wc -l < poem.txt; wc -w < poem.txt; wc -c < poem.txt`,
      files: { "poem.txt": poem },
    },
    {
      name: "text-wc-several-files",
      script: sh`wc -l a.txt b.txt`,
      files: { "a.txt": "1\n2\n3\n", "b.txt": "1\n" },
    },
    {
      name: "text-cut-fields",
      script: sh`cut -d, -f1,3 data.csv; cut -d, -f2- data.csv`,
      files: { "data.csv": "name,age,city\nann,31,oslo\nbob,27,rome\n" },
    },
    { name: "text-cut-characters", script: sh`printf 'abcdef\n123456\n' | cut -c2-4` },
    { name: "text-cut-tab-default", script: sh`printf 'a\tb\tc\n1\t2\t3\n' | cut -f2` },
    {
      name: "text-tr-upper",
      script: sh`echo 'Hello, World' | tr a-z A-Z; echo MiXeD | tr '[:upper:]' '[:lower:]'`,
    },
    { name: "text-tr-delete-digits", script: sh`echo 'a1b2c3' | tr -d '0-9'` },
    { name: "text-tr-squeeze", script: sh`echo 'a    b   c' | tr -s ' '` },
    { name: "text-tr-complement-delete", script: sh`echo 'Hello, World! 123' | tr -cd 'a-zA-Z\n'` },
    { name: "text-tr-newlines-to-spaces", script: sh`seq 4 | tr '\n' ' '; echo` },
    { name: "text-nl-numbers-nonblank", script: sh`nl poem.txt`, files: { "poem.txt": poem } },
    { name: "text-paste-serial", script: sh`seq 5 | paste -sd+; seq 6 | paste - -` },
    {
      name: "text-paste-files",
      script: sh`paste a.txt b.txt; paste -d, a.txt b.txt`,
      files: { "a.txt": "1\n2\n3\n", "b.txt": "x\ny\n" },
    },
    { name: "text-fold-width", script: sh`echo 'abcdefghijklmnopqrstuvwxyz' | fold -w 10` },
    {
      name: "text-tac",
      script: sh`seq 5 | tac`,
      skipReason:
        "uutils tac 0.7.0 (coreutils 0.3.4): reading stdin fails with 'read error: unsupported': it copies stdin to a temporary file and memory-maps it, and memmap2 has no WASI support; tac FILE works (text-tac-file)",
    },
    {
      name: "text-tac-file",
      script: sh`seq 5 > n.txt; tac n.txt; printf 'a\nb' > nolf.txt; tac nolf.txt; echo`,
    },
    { name: "text-rev", script: sh`printf 'abc\nhello\n' | rev` },
    { name: "text-seq-variants", script: sh`seq 3; seq 2 2 8; seq -s, 5; seq -w 8 11; seq 5 -2 1` },
    {
      name: "text-basename-dirname",
      script: sh`basename a/b/c.txt; basename a/b/c.txt .txt; basename x/y/; dirname a/b/c.txt; dirname c.txt`,
    },
    { name: "text-od-chars", script: sh`printf 'hi\tthere\n' | od -c` },
    { name: "text-od-hex-bytes", script: sh`printf 'AB\n' | od -An -tx1` },
    {
      name: "text-base64-roundtrip",
      script: sh`printf 'hello world' | base64; echo aGVsbG8= | base64 -d; echo`,
    },
    {
      name: "text-checksums",
      script: sh`md5sum a.txt; sha256sum a.txt; sha1sum < a.txt; cksum a.txt`,
      files: { "a.txt": "checksum me\n" },
    },
    {
      name: "text-comm",
      script: sh`comm a.txt b.txt; echo --; comm -12 a.txt b.txt`,
      files: { "a.txt": "apple\nbanana\ncherry\n", "b.txt": "banana\ncherry\ndate\n" },
    },
    {
      name: "text-join",
      script: sh`join ids.txt names.txt`,
      files: { "ids.txt": "1 red\n2 green\n3 blue\n", "names.txt": "1 one\n3 three\n" },
    },
    { name: "text-expand-tabs", script: sh`printf 'a\tb\tc\n' | expand -t 4; printf 'x\ty\n' | expand` },
    {
      name: "text-expr",
      script: sh`expr 3 + 4; expr 10 / 3; expr 7 % 3; expr length hello; expr 0; echo "exit=$?"`,
      skipReason:
        "uutils expr 0.7.0 (coreutils 0.3.4): the GNU keywords length, substr, index and match are rejected ('syntax error: unexpected argument'); arithmetic, comparisons and ':' without a group work (text-expr-arithmetic); ':' with a \\(...\\) group prints an empty line",
    },
    {
      name: "text-expr-arithmetic",
      script: sh`expr 3 + 4; expr 10 / 3; expr 7 % 3; expr 2 \* 5; expr 5 \> 3; expr abcdef : 'ab.*'; expr 0; echo "exit=$?"`,
    },
    { name: "text-factor", script: sh`factor 12 97 360` },
    { name: "text-numfmt-iec", script: sh`numfmt --to=iec 1048576 1536 999; numfmt --from=iec 2K` },
    {
      name: "text-tee-append",
      script: sh`echo one | tee out.txt; echo two | tee -a out.txt >/dev/null; cat out.txt`,
    },
    { name: "text-yes-head", script: sh`yes | head -n 3; yes ab | head -2` },
    {
      name: "text-split-lines",
      script: sh`split -l 5 nums.txt part_; ls -1; cat part_ac`,
      files: { "nums.txt": nums },
    },
    { name: "text-column-table", script: sh`printf 'name age\nalice 30\nbob 4\n' | column -t` },
    { name: "text-true-false", script: sh`true; echo $?; false; echo $?` },
  ],
};
