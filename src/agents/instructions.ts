/** The system prompt of agents that run in-process. */

export interface InstructionsOptions {
  cwd: string;
  tools: string[];
  skipOsInstructions?: boolean;
  additionalInstructions?: string;
}

const TOOL_SNIPPETS: Record<string, string> = {
  read: "Read file contents",
  write: "Create or overwrite files",
  edit: "Make precise edits to files (exact text replacement)",
  bash: "Run shell commands in the VM (sh/bash-compatible shell with coreutils, grep, sed, awk, find, jq…)",
  ls: "List directory contents",
  find: "Find files by glob pattern",
  grep: "Search file contents for patterns",
  plan: "Publish your plan for multi-step tasks",
};

export const OS_INSTRUCTIONS = `You are running inside agentos, a lightweight Unix-like virtual machine. Every tool acts on this machine, never on the user's computer:
- The filesystem is in memory; /workspace is the usual place for projects, your home is /home/agentos (user agentos).
- Commands are WebAssembly builds of the usual tools: a bash-compatible shell (brush), GNU-style coreutils, grep, ripgrep (rg), sed, awk, find, fd, diff, tar, gzip, jq, yq, tree. There is no package manager and no network access unless the host grants it.
- Programs that are not installed (node, python, gcc, git…) will fail with "command not found"; do not try to install them.
- Prefer the read, write and edit tools for files, and bash for running commands.`;

export function buildInstructions(options: InstructionsOptions): string {
  const tools = options.tools
    .filter((t) => TOOL_SNIPPETS[t])
    .map((t) => `- ${t}: ${TOOL_SNIPPETS[t]}`)
    .join("\n");
  const parts = [
    `You are an expert coding assistant. You help users by reading files, executing commands, editing code, and writing new files.

Available tools:
${tools}

Guidelines:
- Prefer grep/find/ls tools over bash for file exploration
- Use read to examine files before editing; edit needs the exact text to replace
- Be concise in your responses
- Show file paths clearly when working with files`,
  ];
  if (!options.skipOsInstructions) parts.push(OS_INSTRUCTIONS);
  if (options.additionalInstructions?.trim()) parts.push(options.additionalInstructions.trim());
  parts.push(`Current working directory: ${options.cwd}`);
  return parts.join("\n\n");
}
