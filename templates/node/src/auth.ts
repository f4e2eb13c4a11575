// Bearer JWT (HS256) through jose: signature, exp, nbf (60 s leeway), aud,
// optional iss; `sub` is the merchant, `scope` the space-separated scopes.
import { jwtVerify, errors as joseErrors } from "jose";
import type { Config } from "./config.js";
import { problems } from "./problem.js";

export interface Principal {
  merchant: string;
  scopes: Set<string>;
}

export function makeVerifier(cfg: Config) {
  const key = new TextEncoder().encode(cfg.JWT_SECRET);
  return async function verify(header: string | undefined): Promise<Principal> {
    const m = header ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header) : null;
    if (!m?.[1]) throw problems.unauthorized("a bearer token is required");
    try {
      const { payload } = await jwtVerify(m[1], key, {
        algorithms: ["HS256"],
        audience: cfg.JWT_AUDIENCE,
        ...(cfg.JWT_ISSUER ? { issuer: cfg.JWT_ISSUER } : {}),
        clockTolerance: 60,
        requiredClaims: ["exp", "sub"],
      });
      const scope = typeof payload["scope"] === "string" ? payload["scope"] : "";
      return { merchant: String(payload.sub), scopes: new Set(scope.split(" ").filter(Boolean)) };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) throw problems.unauthorized(`invalid token: ${err.code}`);
      throw err;
    }
  };
}

/** The token's subject without verifying it, for rate-limit keys only. */
export function unverifiedSubject(header: string | undefined): string | undefined {
  const part = header?.startsWith("Bearer ") ? header.slice(7).split(".")[1] : undefined;
  if (!part) return undefined;
  try {
    const sub = (JSON.parse(Buffer.from(part, "base64url").toString()) as { sub?: unknown }).sub;
    return typeof sub === "string" ? sub : undefined;
  } catch (err) {
    return err instanceof Error ? undefined : undefined;
  }
}
