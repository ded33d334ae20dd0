/** Types of the comparison-test corpus: cases written by hand, fixtures recorded from real bash. */

/** The parts of a run that a replay compares. */
export type CompareField = "stdout" | "stderr" | "exitCode";

export const allCompareFields: readonly CompareField[] = ["stdout", "stderr", "exitCode"];

/** One script, run in a fresh directory holding `files`. */
export interface Case {
  /** Unique, kebab-case, prefixed by its family's short name so `--only` can select groups. */
  readonly name: string;
  /** Run as `bash -c <script>` on the host and as `vm.exec(script)` in the VM. */
  readonly script: string;
  /** Relative path → content, written before the run; parent directories are implied. */
  readonly files?: Readonly<Record<string, string>>;
  /** Fed to the script's stdin; without it stdin is /dev/null (empty). */
  readonly stdin?: string;
  /** Fields a replay compares (default: all three). Narrow it only with a `note` that says why. */
  readonly compare?: readonly CompareField[];
  /** Why the case is as it is: e.g. why stderr is not compared. */
  readonly note?: string;
  /** Set when the case is known not to replay; it is still recorded, and the test is skipped. */
  readonly skipReason?: string;
}

/** The cases of one family; a family is recorded into `fixtures/<family>.json`. */
export interface CaseFamily {
  readonly family: string;
  readonly cases: readonly Case[];
}

/**
 * A recorded case: its inputs and what real bash and GNU tools did with them. The replay policy
 * (`compare`, `skipReason`) is not copied here: it is read from the case, so the skip list can be
 * reviewed and changed without re-recording.
 */
export interface Fixture {
  readonly name: string;
  readonly family: string;
  readonly script: string;
  readonly files: Readonly<Record<string, string>>;
  /** `null` when the case has no stdin (the run read /dev/null). */
  readonly stdin: string | null;
  readonly stdout: string;
  /** Already passed through `normaliseStderr`. */
  readonly stderr: string;
  readonly exitCode: number;
  /** e.g. `GNU bash 5.2.15(1)-release; GNU coreutils 9.1`. */
  readonly recordedWith: string;
}
