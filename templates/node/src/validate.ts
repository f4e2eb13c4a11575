// Request bodies, validated with Zod at the boundary; every field error
// becomes one entry of the problem's errors[].
import { z } from "zod";
import { problems, type FieldError } from "./problem.js";

export const paymentCreate = z.object({
  amount: z.number().int().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be three upper-case letters"),
  customer_id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, "may hold only A-Z a-z 0-9 _ . : -"),
  metadata: z.record(z.string().max(40, "keys are at most 40 characters"), z.string().max(500))
    .refine((m) => Object.keys(m).length <= 20, "at most 20 entries").optional(),
}).strict();

export const refundCreate = z.object({
  amount: z.number().int().min(1),
  reason: z.string().max(200).optional(),
}).strict();

export const providerEvent = z.object({
  id: z.string().min(1).max(128),
  type: z.string().max(64),
  data: z.object({ payment_id: z.string().uuid().optional() }).passthrough().optional(),
}).passthrough();

export function parseBody<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw problems.validation([{ field: "", message: "the body must be a JSON object" }]);
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const errors: FieldError[] = r.error.issues.flatMap((i): FieldError[] =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => ({ field: [...i.path, k].join("."), message: "unknown field" }))
      : [{ field: i.path.join("."), message: i.message }]);
  throw problems.validation(errors);
}
