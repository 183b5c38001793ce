// The bundle budget, one place for CI (scripts/budget.mjs) and the bench (bench/report.ts).
// Why these figures: docs/decisions.md §2.

/** Largest bundle (dist/<function>/index.js), in KB. */
export const MAX_BUNDLE_KB = 150;
/** Longest median time for a fresh node to `require` a bundle, in ms. */
export const MAX_REQUIRE_MS = 30;
