// Limits of the settings that more than the schema needs: the sync engine reads the hold window's
// floor, the migrations raise older values to it. Kept apart from schema.ts so that
// migrations.ts can use them without importing the schema that imports it.

/**
 * The shortest hold window (design.md, guarantee 4: "a hold window of at least 3 s"): the time
 * a new comment waits so that the author's private/share choice can arrive. The form refuses
 * less; a stored setting, a file or a policy with less is raised to it when read.
 */
export const MIN_HOLD_SECONDS = 3;

/** `preferences.holdSeconds`: a whole number of seconds from `min` to `max`. */
export const HOLD_SECONDS = { min: MIN_HOLD_SECONDS, max: 600, default: 10 } as const;
