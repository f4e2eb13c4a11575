// Fraud rules, as data: the strongest outcome wins and every rule that
// fired is listed.
export type Decision = "approved" | "review" | "declined";
export type Reason = "amount_above_review_threshold" | "velocity_exceeded" | "customer_blocked";

export interface FraudInput {
  amount: number;
  recentCount: number; // the customer's payments in the last 60 s, before this one
  blocked: boolean;
}

export interface FraudPolicy {
  reviewAmount: number;
  maxPerMinute: number;
}

const RULES: { reason: Reason; outcome: Decision; fires: (i: FraudInput, p: FraudPolicy) => boolean }[] = [
  { reason: "amount_above_review_threshold", outcome: "review", fires: (i, p) => i.amount > p.reviewAmount },
  { reason: "velocity_exceeded", outcome: "declined", fires: (i, p) => i.recentCount >= p.maxPerMinute },
  { reason: "customer_blocked", outcome: "declined", fires: (i) => i.blocked },
];

const RANK: Record<Decision, number> = { approved: 0, review: 1, declined: 2 };

export function decide(input: FraudInput, policy: FraudPolicy): { decision: Decision; reasons: Reason[] } {
  const fired = RULES.filter((r) => r.fires(input, policy));
  const decision = fired.reduce<Decision>((d, r) => (RANK[r.outcome] > RANK[d] ? r.outcome : d), "approved");
  return { decision, reasons: fired.map((r) => r.reason) };
}

export function statusFor(decision: Decision): "captured" | "requires_review" | "declined" {
  return decision === "approved" ? "captured" : decision === "review" ? "requires_review" : "declined";
}
