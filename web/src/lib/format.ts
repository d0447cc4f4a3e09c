/** "5%", "12.5%", "0.25%". */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return `${Number.isInteger(p) ? p : Number(p.toFixed(2))}%`;
}

/** A hold time: "no hold", "45 s", "5 min", "1 h 30 min", "2 d". */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return 'no hold';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return s ? `${m} min ${s} s` : `${m} min`;
  }
  if (seconds < 86400) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

/** A countdown: "0:07", "4:05", "1:02:03"; "now" once it is due. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'now';
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Splits "a, b  c\nd" into ["a", "b", "c", "d"]; `commasOnly` keeps spaces inside values. */
export function splitList(text: string, commasOnly = false): string[] {
  return text
    .split(commasOnly ? /[,\n]+/ : /[,\s]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** `{ label, value }` choices from labels keyed by value, in the labels' order. */
export function optionsOf<V extends string>(labels: Record<V, string>): { label: string; value: V }[] {
  return (Object.keys(labels) as V[]).map((value) => ({ label: labels[value], value }));
}
