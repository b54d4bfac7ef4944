// People read Beijing time (UTC+8, no daylight saving), whatever the phone's own time zone.
const ZONE = "Asia/Shanghai";

const dateTime = new Intl.DateTimeFormat("zh-CN", {
  timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
});
const dateOnly = new Intl.DateTimeFormat("zh-CN", { timeZone: ZONE, year: "numeric", month: "long", day: "numeric" });
const weekday = new Intl.DateTimeFormat("zh-CN", { timeZone: ZONE, weekday: "short" });

function toDate(value: string | Date): Date | null {
  const moment = value instanceof Date ? value : new Date(value);
  return Number.isNaN(moment.getTime()) ? null : moment;
}

/** "2026-12-03 14:05" in Beijing time; "" for a missing or unreadable value. */
export function formatDateTime(value: string | Date | null | undefined): string {
  const moment = value ? toDate(value) : null;
  if (!moment) return "";
  const parts = Object.fromEntries(dateTime.formatToParts(moment).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === "24" ? "00" : parts.hour}:${parts.minute}`;
}

/** A calendar date ("2026-12-03", as the API sends days) as "2026年12月3日 周四". */
export function formatDay(day: string | null | undefined): string {
  if (!day) return "";
  const moment = toDate(`${day.slice(0, 10)}T12:00:00+08:00`);
  return moment ? `${dateOnly.format(moment)} ${weekday.format(moment)}` : "";
}

/** Today's date in Beijing as "YYYY-MM-DD". */
export function beijingToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(now);
}
