const at = (t: number) => new Date(t).toLocaleString([], { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** A chart bucket in words: "Tue, Mar 10, 06:00 – 12:00" (the end's day only when it differs). */
export function bucketText(from: string, before: string): string {
  const a = Date.parse(from);
  const b = Date.parse(before);
  if (Number.isNaN(a)) return Number.isNaN(b) ? '' : `before ${at(b)}`;
  if (Number.isNaN(b)) return `from ${at(a)}`;
  const sameDay = new Date(a).toDateString() === new Date(b - 1).toDateString();
  return `${at(a)} – ${sameDay ? new Date(b).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at(b)}`;
}
