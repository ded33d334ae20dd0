/**
 * Tag for case scripts: the raw text, so backslashes reach the shell unchanged (`sed 's/\./,/'`),
 * except that `\${` and `` \` `` are unescaped, which is how a template literal must spell the
 * shell's `${…}` and backquotes. Interpolation is refused: a script is data, not generated code.
 */
export function sh(strings: TemplateStringsArray, ...values: unknown[]): string {
  if (values.length > 0) throw new Error("sh`…`: interpolation is not allowed in case scripts");
  return strings.raw.join("").replace(/\\(\$\{|`)/g, "$1");
}
