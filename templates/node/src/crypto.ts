// Canonical JSON, HMAC signatures (incoming and outgoing webhooks), opaque
// cursors and W3C trace context.
import { createHmac, randomBytes, timingSafeEqual, createHash } from "node:crypto";

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method}\n${path}\n${canonicalJson(body)}`).digest("hex");
}

export function hmacHex(secret: string, data: string): string {
  return createHmac("sha256", secret).update(data).digest("hex");
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${hmacHex(secret, `${timestamp}.${body}`)}`;
}

/** True when one of the comma-separated v1= signatures matches and the timestamp is fresh. */
export function verifyWebhook(
  secret: string, timestampHeader: string | undefined, signatureHeader: string | undefined,
  rawBody: string, toleranceS: number, nowS = Math.floor(Date.now() / 1000),
): boolean {
  if (!timestampHeader || !signatureHeader || !/^[0-9]{1,12}$/.test(timestampHeader)) return false;
  const ts = Number(timestampHeader);
  if (Math.abs(nowS - ts) > toleranceS) return false;
  const want = Buffer.from(hmacHex(secret, `${ts}.${rawBody}`), "hex");
  return signatureHeader.split(",").some((part) => {
    const m = /^\s*v1=([0-9a-fA-F]{64})\s*$/.exec(part);
    return m?.[1] !== undefined && timingSafeEqual(Buffer.from(m[1], "hex"), want);
  });
}

export interface CursorPos {
  t: string;
  i: string;
}

export function encodeCursor(secret: string, scope: string, pos: CursorPos): string {
  const payload = Buffer.from(JSON.stringify(pos)).toString("base64url");
  return `${payload}.${createHmac("sha256", secret).update(`${scope}.${payload}`).digest("base64url")}`;
}

export function decodeCursor(secret: string, scope: string, cursor: string): CursorPos | null {
  const [payload, mac, rest] = cursor.split(".");
  if (!payload || !mac || rest !== undefined) return null;
  const want = createHmac("sha256", secret).update(`${scope}.${payload}`).digest();
  const got = Buffer.from(mac, "base64url");
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  try {
    const pos = JSON.parse(Buffer.from(payload, "base64url").toString()) as Partial<CursorPos>;
    if (typeof pos.t !== "string" || typeof pos.i !== "string") return null;
    return { t: pos.t, i: pos.i };
  } catch (err) {
    return err instanceof SyntaxError ? null : null;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Continues a valid incoming traceparent (new span id) or starts a trace. */
export function nextTraceparent(incoming: string | undefined): string {
  const m = incoming ? TRACEPARENT.exec(incoming) : null;
  const traceId = m?.[1] && !/^0+$/.test(m[1]) ? m[1] : randomBytes(16).toString("hex");
  const flags = m?.[3] ?? "01";
  return `00-${traceId}-${randomBytes(8).toString("hex")}-${flags}`;
}
