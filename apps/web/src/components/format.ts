/** Dates and sizes as GOV.UK writes them: "6 December 2026 at 3:04pm", "1.2 MB". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  // hourCycle h12, not hour12: for en-GB, hour12 means ICU's h11 cycle, which writes 0:05am for 12:05am.
  const time = d
    .toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' })
    .replace(' ', '');
  return `${date} at ${time}`;
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export const NATURE: Record<string, string> = {
  fact: 'Fact',
  opinion: 'Opinion',
  mixed: 'Fact and opinion',
};
