// Box dates come as `Y-m-d H:i:s` in the box's own time zone, which the API does not state.
// Decision: keep the raw text, and a number of milliseconds computed as if the text were UTC.
// That number orders events of one box correctly; it is off by the box's offset as an
// instant, so it is never shown to a person nor compared across two boxes.

const BOX_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Milliseconds "as if UTC" for a box date, or null for an empty, zero or malformed one. */
export function parseBoxDate(raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  const match = BOX_DATE.exec(raw.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number, number, number, number, number, number,
  ];
  if (year === 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March; a real box date never does.
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms;
}
