import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

// Recorded with jq 1.6; the VM's jq is jaq. Cases stick to the common language; where jaq
// formats numbers differently (e.g. `2.0` for a float result) the replay shows it.
const pkg = JSON.stringify(
  {
    name: "demo",
    version: "1.2.3",
    scripts: { build: "tsc", test: "vitest run" },
    dependencies: { zod: "^3.0.0", lodash: "^4.17.0" },
    keywords: ["cli", "vm"],
  },
  null,
  2,
);
const users =
  '[{"name":"ann","age":31,"team":"ops","active":true},{"name":"bob","age":25,"team":"dev","active":false},' +
  '{"name":"cid","age":42,"team":"dev","active":true}]\n';

export const jq: CaseFamily = {
  family: "jq",
  cases: [
    {
      name: "jq-identity-pretty",
      script: sh`jq . package.json`,
      files: { "package.json": pkg },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only, and prints object keys sorted (jq 1.6 keeps input order)",
    },
    {
      name: "jq-field-access",
      script: sh`jq .name package.json; jq -r .version package.json; jq .scripts.build package.json`,
      files: { "package.json": pkg },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-missing-field-null",
      script: sh`jq .nope package.json; jq -r '.nope // "fallback"' package.json`,
      files: { "package.json": pkg },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-compact-output",
      script: sh`jq -c .scripts package.json; jq -c '.[0]' users.json`,
      files: { "package.json": pkg, "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-keys-length",
      script: sh`jq -c 'keys' package.json; jq '.dependencies | length' package.json; jq -r '.dependencies | keys[]' package.json`,
      files: { "package.json": pkg },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-iterate-array",
      script: sh`jq -r '.[].name' users.json; jq '.keywords[1]' package.json`,
      files: { "package.json": pkg, "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-select-map",
      script: sh`jq -c 'map(select(.active)) | map(.name)' users.json; jq -r '.[] | select(.age > 30) | .name' users.json`,
      files: { "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-string-interpolation",
      script: sh`jq -r '.[] | "\(.name) is \(.age)"' users.json`,
      files: { "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-object-construction",
      script: sh`jq -c '.[] | {who: .name, team}' users.json`,
      files: { "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-sort-group",
      script: sh`jq -c 'sort_by(.age) | map(.name)' users.json; jq -c 'group_by(.team) | map({team: .[0].team, n: length})' users.json`,
      files: { "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-reduce-add",
      script: sh`jq 'map(.age) | add' users.json; jq '[.[].age] | max' users.json; jq 'reduce .[] as $u (0; . + $u.age)' users.json`,
      files: { "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-to-entries",
      script: sh`jq -r '.scripts | to_entries[] | "\(.key): \(.value)"' package.json; jq -c '.scripts | with_entries(.value |= ascii_upcase)' package.json`,
      files: { "package.json": pkg },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-arg-and-null-input",
      script: sh`jq -n --arg v 7 '{version: $v}'; jq -n --argjson n 7 '$n * 6'; jq -cn '[1, 2] + [3]'`,
      skipReason: "jq (agent-os-jq 0.0.260331072558, jaq-based): no --arg/--argjson ('compile error' on $v)",
    },
    {
      name: "jq-update-and-delete",
      script: sh`jq -c '.version = "2.0.0" | del(.keywords, .scripts, .dependencies)' package.json`,
      files: { "package.json": pkg },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-stdin-filters",
      script: sh`jq -r '.[] | select(.age > 30) | .name' < users.json; jq -c 'map(.age) | add' < users.json; jq -r '.name, .version' < package.json; jq -c '.keywords' < package.json; jq '.dependencies | length' < package.json; jq -r '.[] | "\(.name) is \(.age)"' < users.json`,
      files: { "package.json": pkg, "users.json": users },
      note: "the VM's jq reads stdin only (see jq-field-access), so this case feeds the same files through stdin",
    },
    {
      name: "jq-has-and-type",
      script: sh`jq -c '[has("name"), has("nope")]' package.json; jq -r '.[] | type' <<< '[1, "a", null, true, [], {}]'`,
      files: { "package.json": pkg },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-slurp-and-stream",
      script: sh`printf '{"n":1}\n{"n":2}\n{"n":3}\n' | jq -s 'map(.n) | add'; printf '1 2 3' | jq -c '. * 10'`,
    },
    {
      name: "jq-raw-join-split",
      script: sh`jq -r '.keywords | join(",")' package.json; jq -c '"a-b-c" | split("-")' -n`,
      files: { "package.json": pkg },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-if-then-else",
      script: sh`jq -r '.[] | if .age >= 30 then "\(.name): senior" else "\(.name): junior" end' users.json`,
      files: { "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    { name: "jq-integer-arithmetic", script: sh`jq -n '1 + 2, 7 % 3, 10 - 20, 6 * 7'` },
    { name: "jq-float-arithmetic", script: sh`jq -n '1 / 4, 0.1 + 0.2, 3 / 2'` },
    {
      name: "jq-string-functions",
      script: sh`jq -r '"Hello" | ascii_downcase, length, (. + " world"), test("^H"), ltrimstr("He")' -n`,
    },
    {
      name: "jq-unique-range",
      script: sh`jq -c '[3, 1, 3, 2] | unique' -n; jq -c '[range(0; 5)]' -n; jq -c '[range(3)] | map(. * 2)' -n`,
    },
    {
      name: "jq-csv-tsv",
      script: sh`jq -r '.[] | [.name, .age] | @csv' users.json; jq -r '.[] | [.name, .team] | @tsv' users.json`,
      files: { "users.json": users },
      skipReason:
        "jq (agent-os-jq 0.0.260331072558): reads stdin only; file arguments are rejected ('unexpected argument')",
    },
    {
      name: "jq-tostring-tonumber",
      script: sh`jq -c '[(42 | tostring), ("17" | tonumber), ([1] | tostring)]' -n`,
    },
    {
      name: "jq-exit-status-flag",
      script: sh`echo null | jq -e . >/dev/null; echo "null=$?"; echo 1 | jq -e . >/dev/null; echo "one=$?"`,
    },
    { name: "jq-sort-keys", script: sh`echo '{"b":1,"a":{"d":2,"c":3}}' | jq -S -c .` },
    {
      name: "jq-invalid-json",
      script: sh`echo '{bad json' | jq . >/dev/null 2>&1 || echo rejected`,
      note: "only the failure is compared: jq 1.6 and jaq word parse errors and pick exit statuses differently",
    },
  ],
};
