/** What a build of the pane is configured with (from WCF_* environment variables at build time; see docs/add-in.md). */
export interface PaneConfig {
  /** The Entra ID app registration's client ID; empty when the build was made without one. */
  clientId: string;
  /** Graph's base URL including the version, e.g. `https://graph.microsoft.com/v1.0`. */
  graphBaseUrl: string;
  /** RFC 8484 resolvers; empty means the core's public defaults. */
  dohUrls: string[];
  /** Microsoft's sign-in service for Entra ID discovery (`WCF_ENTRA_URL`); empty: never asked (`off`). */
  entraUrl: string;
  /** Where anonymous domain reports go; empty disables sharing. */
  collectorUrl: string;
  /** The random wait before shared domains are sent (2–15 minutes by default). */
  shareDelayMs: { minMs: number; maxMs: number };
  /** Development builds only: a bearer token used for Graph instead of signing in. */
  devToken: string;
  production: boolean;
}

declare const WCF_CONFIG: PaneConfig;

/** The configuration webpack's DefinePlugin baked into this bundle. */
export function bakedConfig(): PaneConfig {
  return WCF_CONFIG;
}
