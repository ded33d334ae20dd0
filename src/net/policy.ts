/**
 * The VM's egress policy: which hosts guest code may reach over HTTP(S), and headers (credentials)
 * the host adds to requests for some hosts. Deny by default: with no policy, or an empty `allow`,
 * every outbound request fails with EACCES.
 *
 * Host patterns: `api.example.com` (that host, any port), `*.example.com` (any subdomain, not the
 * apex), `127.0.0.1:8080` (that host and port), `*` (any host). Case-insensitive; IPv6 hosts in
 * brackets (`[::1]:8080`).
 */

export interface NetworkPolicy {
  /** Host patterns guest code may reach. Empty or missing: nothing. */
  allow?: string[];
  /** Headers added (overriding the guest's) to requests whose host matches the pattern. */
  headers?: Record<string, Record<string, string>>;
}

function defaultPort(protocol: string): string {
  return protocol === "https:" ? "443" : "80";
}

/** Whether `pattern` matches a URL's host and port. */
export function hostMatches(pattern: string, url: URL): boolean {
  const p = pattern.trim().toLowerCase();
  if (p === "*") return true;
  const host = url.hostname.toLowerCase();
  const port = url.port || defaultPort(url.protocol);
  let patHost = p;
  let patPort: string | null = null;
  const m = /^(\[[^\]]+\]|[^:]+):(\d+|\*)$/.exec(p);
  if (m) {
    patHost = m[1]!;
    patPort = m[2] === "*" ? null : m[2]!;
  }
  if (patPort !== null && patPort !== port) return false;
  if (patHost.startsWith("*.")) {
    const suffix = patHost.slice(1);
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return patHost === host;
}

export function isAllowed(policy: NetworkPolicy | undefined, url: URL): boolean {
  return !!policy?.allow?.some((p) => hostMatches(p, url));
}

/** The headers the policy injects for `url` (later patterns override earlier ones). */
export function injectedHeaders(policy: NetworkPolicy | undefined, url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [pattern, headers] of Object.entries(policy?.headers ?? {}))
    if (hostMatches(pattern, url)) Object.assign(out, headers);
  return out;
}

export function describeHost(url: URL): string {
  return `${url.hostname}:${url.port || defaultPort(url.protocol)}`;
}
