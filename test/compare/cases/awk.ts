import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

// POSIX awk only: the VM's awk is awk-rs, not GNU awk (no gensub, asort, PROCINFO, BEGINFILE…).
const sales = "region,item,units\nnorth,apples,10\nsouth,pears,4\nnorth,pears,7\neast,apples,3\n";
const passwd =
  "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nann:x:1000:1000:Ann:/home/ann:/bin/zsh\n";

export const awk: CaseFamily = {
  family: "awk",
  cases: [
    { name: "awk-print-fields", script: sh`echo 'a b c' | awk '{print $2, $1}'` },
    { name: "awk-field-separator", script: sh`awk -F: '{print $1 " uses " $7}' passwd`, files: { passwd } },
    { name: "awk-nr-nf", script: sh`printf 'a b\nc d e\n\nf\n' | awk '{print NR": "NF}'` },
    { name: "awk-last-field", script: sh`echo 'one two three' | awk '{print $NF; print $(NF-1)}'` },
    {
      name: "awk-sum-column",
      script: sh`awk -F, 'NR>1 {s+=$3} END {print s}' sales.csv`,
      files: { "sales.csv": sales },
    },
    {
      name: "awk-group-by-key",
      script: sh`awk -F, 'NR>1 {u[$1]+=$3} END {for (k in u) print k, u[k]}' sales.csv | sort`,
      files: { "sales.csv": sales },
    },
    {
      name: "awk-begin-end",
      script: sh`seq 3 | awk 'BEGIN {print "start"} {print "line", $0} END {print "end", NR}'`,
    },
    {
      name: "awk-printf",
      script: sh`awk -F, 'NR>1 {printf "%-6s %5.1f%%\n", $1, $3*100/24}' sales.csv`,
      files: { "sales.csv": sales },
    },
    { name: "awk-variable-option", script: sh`seq 5 | awk -v min=3 '$1 >= min'` },
    { name: "awk-pattern-only", script: sh`awk -F: '$3 >= 1000' passwd`, files: { passwd } },
    {
      name: "awk-regex-match",
      script: sh`awk '/apples/ {print NR}' sales.csv`,
      files: { "sales.csv": sales },
    },
    {
      name: "awk-field-regex-match",
      script: sh`awk -F: '$7 ~ /bash$/ {print $1} $7 !~ /bash/ {print "not", $1}' passwd`,
      files: { passwd },
    },
    {
      name: "awk-string-functions",
      script: sh`echo 'Hello World' | awk '{print length($0), toupper($1), tolower($2), substr($0, 3, 4), index($0, "World")}'`,
    },
    { name: "awk-split", script: sh`echo '2024-01-15' | awk '{n = split($0, p, "-"); print n, p[1], p[3]}'` },
    {
      name: "awk-gsub-sub",
      script: sh`echo 'aaa bbb aaa' | awk '{n = gsub(/a/, "x"); sub(/b+/, "B"); print n, $0}'`,
    },
    {
      name: "awk-match-rstart",
      script: sh`echo 'foo123bar' | awk '{if (match($0, /[0-9]+/)) print RSTART, RLENGTH, substr($0, RSTART, RLENGTH)}'`,
    },
    {
      name: "awk-if-else",
      script: sh`seq 4 | awk '{if ($1 % 2 == 0) print $1, "even"; else print $1, "odd"}'`,
    },
    {
      name: "awk-for-loop",
      script: sh`echo 'a b c' | awk '{for (i = NF; i > 0; i--) printf "%s ", $i; print ""}'`,
    },
    {
      name: "awk-while-loop",
      script: sh`awk 'BEGIN {i = 1; while (i <= 16) {printf "%d ", i; i *= 2}; print ""}'`,
    },
    { name: "awk-range-pattern", script: sh`seq 10 | awk '$1 == 3, $1 == 5'` },
    { name: "awk-output-separator", script: sh`echo 'a b c' | awk 'BEGIN {OFS = "-"} {$1 = $1; print}'` },
    {
      name: "awk-regex-field-separator",
      script: sh`echo 'a1b22c333d' | awk -F'[0-9]+' '{print $1, $2, $3, $4}'`,
    },
    {
      name: "awk-number-formatting",
      script: sh`awk 'BEGIN {print 0.1 + 0.2; print 1/3; print 1e6; print 2^10; print int(-3.7); print 7 % 3}'`,
    },
    {
      name: "awk-string-number-comparison",
      script: sh`printf '10\n9\nabc\n' | awk '{print ($1 > 5) ? "big" : "small"}'`,
    },
    { name: "awk-uniq-lines", script: sh`printf 'a\nb\na\nc\nb\n' | awk '!seen[$0]++'` },
    {
      name: "awk-count-words",
      script: sh`printf 'the cat\nthe dog\n' | awk '{for (i = 1; i <= NF; i++) c[$i]++} END {for (w in c) print w, c[w]}' | sort`,
    },
    {
      name: "awk-multiple-files-fnr",
      script: sh`awk '{print FILENAME, FNR, NR}' a b`,
      files: { a: "1\n2\n", b: "3\n" },
    },
    {
      name: "awk-script-file",
      script: sh`awk -f prog.awk sales.csv`,
      files: {
        "sales.csv": sales,
        "prog.awk": 'BEGIN { FS = "," }\nNR > 1 && $2 == "pears" { n++ }\nEND { print "pears rows:", n }\n',
      },
    },
    { name: "awk-printf-no-newline", script: sh`seq 3 | awk '{printf "%s,", $0} END {printf "\n"}'` },
    {
      name: "awk-exit-code",
      script: sh`awk 'BEGIN {exit 3}'; echo "exit=$?"; echo x | awk '{exit}'; echo "exit=$?"`,
    },
    {
      name: "awk-missing-file",
      script: sh`awk '{print}' nope.txt; echo "exit=$?"`,
      compare: ["stdout", "exitCode"],
      note: "error wording differs between awk implementations; exit status is 2 in POSIX awks",
    },
  ],
};
