/**
 * The most memory this process has held so far: the resident set's high-water
 * mark where the system reports one (Linux `VmHWM`), otherwise the current
 * resident set, which is a lower bound.
 *
 * @module
 */

/** Peak resident memory of this process in bytes, and whether it is the true peak. */
export function peakMemory(): { bytes: number; peak: boolean } {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (kb) return { bytes: Number(kb[1]) * 1024, peak: true };
  } catch { /* not Linux, or no permission: fall back */ }
  return { bytes: Deno.memoryUsage().rss, peak: false };
}

/** `peakMemory()` as text, e.g. `"1.23 GB (peak)"`. */
export function formatPeakMemory(): string {
  const { bytes, peak } = peakMemory();
  return `${(bytes / 1e9).toFixed(2)} GB${peak ? " (peak)" : " (now; the peak is unknown here)"}`;
}
