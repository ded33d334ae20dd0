import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

const text = "apple pie\nbanana split\ncherry tart\napple crumble\n";
const config = "# settings\nhost = localhost\nport = 8080\n\ndebug = false\n";

export const sed: CaseFamily = {
  family: "sed",
  cases: [
    { name: "sed-substitute-first", script: sh`sed 's/a/A/' t.txt`, files: { "t.txt": text } },
    { name: "sed-substitute-global", script: sh`sed 's/a/A/g' t.txt`, files: { "t.txt": text } },
    { name: "sed-substitute-nth", script: sh`echo aaaa | sed 's/a/X/3'` },
    { name: "sed-substitute-ampersand", script: sh`echo 'hello world' | sed 's/o/[&]/g'` },
    { name: "sed-substitute-other-delimiter", script: sh`echo /usr/local/bin | sed 's|/usr/local|/opt|'` },
    { name: "sed-substitute-case-insensitive", script: sh`echo 'Apple APPLE apple' | sed 's/apple/pear/gI'` },
    { name: "sed-extended-groups", script: sh`echo 'john smith' | sed -E 's/([a-z]+) ([a-z]+)/\2, \1/'` },
    { name: "sed-basic-groups", script: sh`echo 'key=value' | sed 's/\(.*\)=\(.*\)/\2=\1/'` },
    { name: "sed-print-range", script: sh`seq 10 | sed -n '3,5p'` },
    { name: "sed-print-matching", script: sh`sed -n '/apple/p' t.txt`, files: { "t.txt": text } },
    { name: "sed-delete-matching", script: sh`sed '/^#/d; /^$/d' c.conf`, files: { "c.conf": config } },
    { name: "sed-delete-last-line", script: sh`seq 4 | sed '$d'` },
    { name: "sed-quit-early", script: sh`seq 100 | sed 3q` },
    {
      name: "sed-line-numbers",
      script: sh`sed -n '$=' t.txt; printf 'a\nb\n' | sed =`,
      files: { "t.txt": text },
    },
    {
      name: "sed-multiple-expressions",
      script: sh`sed -e 's/apple/APPLE/' -e 's/pie/PIE/' t.txt`,
      files: { "t.txt": text },
    },
    {
      name: "sed-in-place",
      script: sh`sed -i 's/8080/9090/' c.conf; grep port c.conf`,
      files: { "c.conf": config },
    },
    {
      name: "sed-in-place-backup",
      script: sh`sed -i.bak 's/false/true/' c.conf; ls; diff c.conf.bak c.conf`,
      files: { "c.conf": config },
    },
    {
      name: "sed-append-insert-change",
      script: sh`printf 'one\ntwo\nthree\n' | sed -e '/two/i\
before' -e '/two/a\
after' -e '/three/c\
THREE'`,
    },
    { name: "sed-gnu-one-line-append", script: sh`printf 'a\nb\n' | sed '1a inserted'` },
    { name: "sed-transliterate", script: sh`echo hello | sed 'y/abcdefghij/ABCDEFGHIJ/'` },
    { name: "sed-hold-space-reverse", script: sh`seq 5 | sed -n '1!G;h;$p'` },
    { name: "sed-join-lines", script: sh`printf 'a\nb\nc\nd\n' | sed 'N;s/\n/ /'` },
    { name: "sed-address-regex-range", script: sh`seq 10 | sed -n '/^3$/,/^6$/p'` },
    {
      name: "sed-step-address",
      script: sh`seq 10 | sed -n '1~3p'`,
      skipReason: "uutils sed (sed 0.3.4): no GNU 'first~step' address ('invalid command code ~')",
    },
    {
      name: "sed-trim-whitespace",
      script: sh`printf '  lead\ntrail   \n  both  \n' | sed 's/^[ \t]*//; s/[ \t]*$//' | cat -A`,
    },
    {
      name: "sed-script-file",
      script: sh`sed -f edit.sed t.txt`,
      files: { "t.txt": text, "edit.sed": "s/apple/pear/g\n/banana/d\n" },
    },
    { name: "sed-print-and-suppress", script: sh`printf 'x\ny\n' | sed p; printf 'x\ny\n' | sed -n 2p` },
    { name: "sed-negated-address", script: sh`seq 5 | sed '2,4!d'` },
    {
      name: "sed-missing-file",
      script: sh`sed p nope.txt; echo "exit=$?"`,
      skipReason:
        "uutils sed (sed 0.3.4): a missing input file exits 1 (GNU sed: 2) with 'error opening input file'",
    },
  ],
};
