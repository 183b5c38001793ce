// Types of budget-limits.mjs, for the bench (TypeScript).
export const MAX_BUNDLE_KB: number;
export const MAX_REQUIRE_MS: number;
