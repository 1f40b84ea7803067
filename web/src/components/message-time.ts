/** "14:05" today, "Tue 3 Dec, 14:05" on another day: a time without a date is wrong by a day after midnight. */
export function messageTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const t = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return new Date(now).toDateString() === d.toDateString() ? t : `${d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })}, ${t}`;
}
