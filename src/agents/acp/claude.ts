/**
 * The "claude" agent type: Claude Code through `@zed-industries/claude-code-acp@0.16.2`, the adapter
 * version seen to route Read, Write, Edit and Bash through the ACP client (later Claude adapters run
 * them on the host). It is not a dependency of agentos-vm (≈124 MB, and it bundles the proprietary
 * Claude Agent SDK): install it next to agentos-vm, or pass `adapterPath`.
 *
 * Claude Code's host-side tools (Glob, Grep, WebFetch, WebSearch, Task…, TodoWrite, plan mode) are
 * disallowed, leaving the client-routed ones. Claude Code still runs helper processes on the host
 * and writes under its (throwaway) HOME; see docs/agents.md.
 */

import { createRequire } from "node:module";
import { SessionError } from "../types.ts";
import { type AcpAgentSpec, acpRuntime } from "./runtime.ts";

export const CLAUDE_ADAPTER = "@zed-industries/claude-code-acp";
export const CLAUDE_ADAPTER_VERSION = "0.16.2";

/** Claude Code tools that do not go through the ACP client. */
export const CLAUDE_HOST_TOOLS = [
  "Glob",
  "Grep",
  "LS",
  "NotebookEdit",
  "NotebookRead",
  "WebFetch",
  "WebSearch",
  "Task",
  "TaskOutput",
  "TaskStop",
  "BashOutput",
  "KillShell",
  "Skill",
  "SlashCommand",
  "TodoWrite",
  "EnterPlanMode",
  "ExitPlanMode",
  "ListMcpResourcesTool",
  "ReadMcpResourceTool",
];

export interface ClaudeRuntimeOptions {
  /** Path of the adapter's `dist/index.js`; default: resolved from node_modules. */
  adapterPath?: string;
  /** Node executable for the adapter. Default: this process's. */
  node?: string;
}

export function resolveClaudeAdapter(from: string = import.meta.url): string | undefined {
  try {
    return createRequire(from).resolve(`${CLAUDE_ADAPTER}/dist/index.js`);
  } catch {
    return undefined;
  }
}

export function claudeRuntime(options: ClaudeRuntimeOptions = {}) {
  return acpRuntime((): AcpAgentSpec => {
    const adapter = options.adapterPath ?? resolveClaudeAdapter();
    if (!adapter) {
      throw new SessionError(
        "EAGENT",
        `the "claude" agent type needs ${CLAUDE_ADAPTER}@${CLAUDE_ADAPTER_VERSION}: npm install ${CLAUDE_ADAPTER}@${CLAUDE_ADAPTER_VERSION}` +
          " (or pass its path as adapterPath)",
      );
    }
    return {
      command: options.node ?? process.execPath,
      args: [adapter],
      // Claude Code refuses to skip its own permission prompts as root unless told it is sandboxed.
      env: {
        IS_SANDBOX: "1",
        DISABLE_AUTOUPDATER: "1",
        DISABLE_TELEMETRY: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
      modelName: "claude-code",
      sessionMeta: (ctx) => {
        const append = claudeInstructions(ctx.options);
        return {
          ...(append ? { systemPrompt: { append } } : {}),
          claudeCode: {
            options: {
              disallowedTools: CLAUDE_HOST_TOOLS,
              // No user/project settings files (HOME and cwd are throwaway anyway).
              settingSources: [],
              ...(typeof ctx.options.model === "string" ? { model: ctx.options.model } : {}),
            },
          },
        };
      },
    };
  });
}

function claudeInstructions(options: {
  additionalInstructions?: string;
  skipOsInstructions?: boolean;
}): string {
  const parts: string[] = [];
  if (!options.skipOsInstructions) {
    parts.push(
      "Your file and shell tools act on agentos, a lightweight Unix-like VM with a bash-compatible shell, " +
        "coreutils, grep, sed, awk, find, jq; there is no node, python or package manager. Use Read, Write, " +
        "Edit and Bash (with a timeout) only.",
    );
  }
  if (options.additionalInstructions?.trim()) parts.push(options.additionalInstructions.trim());
  return parts.join("\n\n");
}
