/**
 * Normalisation applied to stderr on both sides: when recording (real bash) and when replaying
 * (the VM's shell). It only removes the shell's own name and line prefix, which names the shell
 * binary (`bash`, `sh`, `brush`) rather than describing the error.
 *
 *   `bash: line 1: nope: command not found`      → `nope: command not found`
 *   `bash: -c: line 2: syntax error near …`      → `syntax error near …`
 *   `sh: nope: command not found`                → `nope: command not found`
 *
 * Everything else, including the program-name prefix of commands (`cat: x: No such file…`), is
 * kept: a case whose message wording legitimately differs narrows `compare` instead.
 */
const shellPrefix = /^(?:bash|sh|brush)(?:: -c)?(?:: line \d+)?: /gm;

export function normaliseStderr(stderr: string): string {
  return stderr.replace(shellPrefix, "");
}
