/**
 * Glob matching for the agents' find and grep tools: `*`, `**`, `?`, `[…]`, `{a,b}`. A pattern
 * without `/` matches a file's name (as `fd --glob` and `rg --glob` do); with `/`, its path
 * relative to the search root.
 */

export function globToRegExp(pattern: string): RegExp {
  let re = "";
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        if (pattern[i + 2] === "/") {
          re += "(?:.*/)?";
          i += 3;
        } else {
          re += ".*";
          i += 2;
        }
        continue;
      }
      re += "[^/]*";
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) re += "\\[";
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) {
      re += "|";
    } else {
      re += c.replace(/[.+^${}()|\\/]/g, "\\$&");
    }
    i++;
  }
  return new RegExp(`^${re}$`);
}

export type GlobMatcher = (relativePath: string) => boolean;

export function globMatcher(pattern: string): GlobMatcher {
  const p = pattern.startsWith("./") ? pattern.slice(2) : pattern;
  const re = globToRegExp(p);
  if (p.includes("/")) return (rel) => re.test(rel);
  return (rel) => re.test(rel.slice(rel.lastIndexOf("/") + 1));
}

/** Directories the tools never descend into. */
export const SKIPPED_DIRS = ["node_modules", ".git"];
