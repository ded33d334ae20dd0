import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

const words = "pear\nApple\nbanana\napple\nCherry\nbanana\n";
const table = "bob 25 sales\nann 31 ops\ncid 25 dev\ndee 4 ops\neve 100 dev\n";

export const sortUniq: CaseFamily = {
  family: "sort-uniq",
  cases: [
    { name: "sort-default-bytewise", script: sh`sort words.txt`, files: { "words.txt": words } },
    { name: "sort-reverse", script: sh`sort -r words.txt`, files: { "words.txt": words } },
    { name: "sort-fold-case", script: sh`sort -f words.txt`, files: { "words.txt": words } },
    { name: "sort-unique", script: sh`sort -u words.txt`, files: { "words.txt": words } },
    {
      name: "sort-numeric",
      script: sh`printf '10\n9\n100\n-3\n2.5\n' | sort -n; echo --; printf '10\n9\n100\n' | sort`,
    },
    { name: "sort-numeric-reverse", script: sh`printf '3\n30\n4\n' | sort -nr` },
    { name: "sort-key-field", script: sh`sort -k2,2n -k1,1 t.txt`, files: { "t.txt": table } },
    { name: "sort-key-reverse-numeric", script: sh`sort -k2 -nr t.txt | head -3`, files: { "t.txt": table } },
    { name: "sort-separator", script: sh`printf 'b:2\na:10\nc:1\n' | sort -t: -k2 -n` },
    { name: "sort-stable-key", script: sh`sort -s -k3,3 t.txt`, files: { "t.txt": table } },
    { name: "sort-human-numeric", script: sh`printf '1K\n512\n2M\n1G\n3K\n' | sort -h` },
    { name: "sort-version", script: sh`printf 'v1.10\nv1.2\nv1.9\nv2.0\n' | sort -V` },
    {
      name: "sort-check",
      script: sh`printf '1\n2\n3\n' | sort -c; echo "sorted=$?"; printf '2\n1\n' | sort -c 2>/dev/null; echo "unsorted=$?"`,
      skipReason:
        "uutils sort 0.7.0 (coreutils 0.3.4): -c starts a reader thread and the wasm32-wasip1 build has none: panic 'failed to spawn thread', exit 134",
    },
    {
      name: "sort-output-file",
      script: sh`sort -o words.txt words.txt; cat words.txt`,
      files: { "words.txt": words },
    },
    { name: "sort-several-files", script: sh`sort a b`, files: { a: "3\n1\n", b: "2\n" } },
    { name: "sort-ignore-leading-blanks", script: sh`printf '  b\na\n c\n' | sort -b` },
    {
      name: "sort-merge-sorted",
      script: sh`sort -m a b`,
      files: { a: "1\n4\n", b: "2\n3\n" },
      skipReason:
        "uutils sort 0.7.0 (coreutils 0.3.4): -m starts a reader thread and the wasm32-wasip1 build has none: panic 'failed to spawn thread', exit 134",
    },
    { name: "uniq-adjacent", script: sh`printf 'a\na\nb\na\n' | uniq` },
    { name: "uniq-count", script: sh`sort words.txt | uniq -c`, files: { "words.txt": words } },
    {
      name: "uniq-duplicates-unique",
      script: sh`sort words.txt | uniq -d; echo --; sort words.txt | uniq -u`,
      files: { "words.txt": words },
    },
    { name: "uniq-ignore-case", script: sh`printf 'a\nA\nb\n' | uniq -i` },
    { name: "uniq-skip-fields", script: sh`printf '1 x\n2 x\n3 y\n' | uniq -f1` },
    {
      name: "sort-uniq-frequency",
      script: sh`sort words.txt | uniq -c | sort -rn | head -2`,
      files: { "words.txt": words },
    },
    { name: "sort-random-is-permutation", script: sh`seq 10 | sort -R | sort -n | tr '\n' ' '; echo` },
  ],
};
