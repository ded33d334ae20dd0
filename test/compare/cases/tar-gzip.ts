import type { CaseFamily } from "../types.ts";
import { sh } from "./sh.ts";

// Compressed bytes differ between gzip implementations: cases check round trips and listings,
// never compressed sizes or bytes. tar member order follows readdir order, so listings are sorted.
const data = { "data.txt": "line one\nline two\nline three\n".repeat(20) };
const project = {
  "proj/README.md": "# proj\n",
  "proj/src/a.ts": "export const a = 1;\n",
  "proj/src/b.ts": "export const b = 2;\n",
};

export const tarGzip: CaseFamily = {
  family: "tar-gzip",
  cases: [
    {
      name: "gzip-roundtrip-in-place",
      script: sh`gzip data.txt; ls; gunzip data.txt.gz; ls; wc -l data.txt`,
      files: data,
    },
    {
      name: "gzip-stdout-pipeline",
      script: sh`gzip -c data.txt | gunzip -c | md5sum; md5sum < data.txt`,
      files: data,
    },
    { name: "gzip-keep-original", script: sh`gzip -k data.txt; ls`, files: data },
    {
      name: "gzip-decompress-flag",
      script: sh`gzip data.txt; gzip -d data.txt.gz; head -n 2 data.txt`,
      files: data,
    },
    { name: "gzip-zcat", script: sh`gzip data.txt; zcat data.txt.gz | tail -n 1`, files: data },
    { name: "gzip-stdin-to-stdout", script: sh`echo 'piped text' | gzip | gunzip` },
    {
      name: "gzip-test-integrity",
      script: sh`gzip data.txt; gzip -t data.txt.gz; echo "exit=$?"`,
      files: data,
      skipReason: "gzip (gzip 0.3.4): no -t",
    },
    {
      name: "gzip-small-file-is-smaller",
      script: sh`gzip -c data.txt > d.gz; [ "$(wc -c < d.gz)" -lt "$(wc -c < data.txt)" ] && echo smaller`,
      files: data,
    },
    {
      name: "gzip-not-gzip-input",
      script: sh`gunzip -c data.txt > /dev/null; echo "exit=$?"`,
      files: data,
      compare: ["stdout", "exitCode"],
      note: "error wording differs between GNU gzip and the Rust gzip",
    },
    {
      name: "gzip-missing-file",
      script: sh`gzip nope; echo "exit=$?"`,
      compare: ["stdout", "exitCode"],
      note: "error wording differs between GNU gzip and the Rust gzip",
    },
    { name: "tar-create-list", script: sh`tar cf p.tar proj; tar tf p.tar | sort`, files: project },
    {
      name: "tar-create-extract-elsewhere",
      script: sh`tar cf p.tar proj; mkdir out; tar xf p.tar -C out; find out | sort; cat out/proj/src/b.ts`,
      files: project,
    },
    {
      name: "tar-gzip-roundtrip",
      script: sh`tar czf p.tgz proj; rm -r proj; tar xzf p.tgz; find proj -type f | sort`,
      files: project,
    },
    {
      name: "tar-explicit-members",
      script: sh`tar cf p.tar proj/README.md proj/src/a.ts; tar tf p.tar`,
      files: project,
    },
    {
      name: "tar-extract-one-member",
      script: sh`tar cf p.tar proj; mkdir out; cd out && tar xf ../p.tar proj/src/a.ts && find . -type f`,
      files: project,
      skipReason:
        "tar (tar-rs, tar 0.3.5): member names given to x are ignored; the whole archive is extracted",
    },
    {
      name: "tar-change-directory-on-create",
      script: sh`tar cf p.tar -C proj src; tar tf p.tar | sort`,
      files: project,
    },
    {
      name: "tar-extract-to-stdout",
      script: sh`tar cf p.tar proj; tar xOf p.tar proj/README.md`,
      files: project,
      skipReason: "tar (tar-rs, tar 0.3.5): no -O",
    },
    {
      name: "tar-verbose-extract",
      script: sh`tar cf p.tar proj/README.md; rm proj/README.md; tar xvf p.tar`,
      files: project,
      skipReason: "tar (tar-rs, tar 0.3.5): v lists members on stderr (GNU tar: stdout)",
    },
    {
      name: "tar-missing-archive",
      script: sh`tar tf nope.tar; echo "exit=$?"`,
      skipReason:
        "tar (tar-rs, tar 0.3.5): a missing archive exits 1 (GNU tar: 2) with 'No such file or directory (os error 44)'",
    },
  ],
};
