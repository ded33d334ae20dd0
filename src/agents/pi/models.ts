/**
 * Models for "pi" sessions, resolved from the session's env only (never the host's):
 * `ANTHROPIC_API_KEY` / `OPENAI_API_KEY` (or another provider's key variable, for
 * `"provider/id"` specs), and `ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL` to point a provider at a
 * proxy or a local mock server.
 */

import { findEnvKeys, getModel, type Model } from "@mariozechner/pi-ai";
import { type ModelSpec, SessionError } from "../types.ts";

export const DEFAULT_MODELS: Record<string, string> = {
  anthropic: "claude-sonnet-4-5",
  openai: "gpt-5.1",
};

/** The env variables that configure providers; they are not passed on to the agent's commands. */
export const PROVIDER_ENV = /^(ANTHROPIC|OPENAI)_(API_KEY|BASE_URL|AUTH_TOKEN)$/;

export interface ResolvedModel {
  // biome-ignore lint/suspicious/noExplicitAny: Pi's models are generic over their API.
  model: Model<any>;
  /** Always non-empty: Pi's providers fall back to the host's env when a key is missing. */
  apiKey: string;
}

/** The key for `provider` in the session env, if any. */
export function keyFor(provider: string, env: Record<string, string>): string | undefined {
  const names = findEnvKeys(provider) ?? [`${provider.toUpperCase().replace(/-/g, "_")}_API_KEY`];
  for (const name of names) if (env[name]) return env[name];
  return undefined;
}

export function resolveModel(spec: ModelSpec | undefined, env: Record<string, string>): ResolvedModel {
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  let model: Model<any>;
  if (spec && typeof spec === "object") {
    // biome-ignore lint/suspicious/noExplicitAny: a Pi model object passed through.
    model = spec as unknown as Model<any>;
  } else {
    let provider: string | undefined;
    let id: string | undefined = spec;
    const slash = spec ? spec.indexOf("/") : -1;
    if (spec && slash > 0) {
      provider = spec.slice(0, slash);
      id = spec.slice(slash + 1);
    }
    if (!provider) {
      if (env.ANTHROPIC_API_KEY || env.ANTHROPIC_BASE_URL) provider = "anthropic";
      else if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) provider = "openai";
      else {
        throw new SessionError(
          "EMODEL",
          "no model provider: put ANTHROPIC_API_KEY or OPENAI_API_KEY in the session env, or pass a model" +
            " (the host's environment is not inherited)",
        );
      }
    }
    id ??= DEFAULT_MODELS[provider];
    if (!id)
      throw new SessionError("EMODEL", `no default model for provider ${provider}; pass "${provider}/<id>"`);
    model = lookup(provider, id);
    const baseUrl =
      provider === "anthropic"
        ? env.ANTHROPIC_BASE_URL
        : provider === "openai"
          ? env.OPENAI_BASE_URL
          : undefined;
    if (baseUrl) {
      model = { ...model, baseUrl };
      // OpenAI-compatible servers speak chat completions; the Responses API is OpenAI's own.
      if (provider === "openai") model.api = "openai-completions";
    }
  }
  const key = keyFor(model.provider, env);
  if (!key && isOfficialEndpoint(model)) {
    throw new SessionError(
      "EMODEL",
      `no API key for provider ${model.provider} in the session env (the host's environment is not inherited)`,
    );
  }
  return { model, apiKey: key ?? "agentos-no-key" };
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
function lookup(provider: string, id: string): Model<any> {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: the generated table is keyed by literal ids.
    const known = (getModel as any)(provider, id) as Model<any> | undefined;
    if (known) return known;
  } catch {
    // Unknown provider: fall through to a custom model.
  }
  if (provider === "anthropic" || provider === "openai") {
    return {
      id,
      name: id,
      api: provider === "anthropic" ? "anthropic-messages" : "openai-completions",
      provider,
      baseUrl: provider === "anthropic" ? "https://api.anthropic.com" : "https://api.openai.com/v1",
      reasoning: false,
      input: ["text"],
      cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      contextWindow: 200_000,
      maxTokens: 8192,
    };
  }
  throw new SessionError("EMODEL", `unknown model ${provider}/${id}`);
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
function isOfficialEndpoint(model: Model<any>): boolean {
  return /^https:\/\/api\.(anthropic|openai)\.com/.test(model.baseUrl) || model.provider === "google";
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export function modelName(model: Model<any>): string {
  return `${model.provider}/${model.id}`;
}
