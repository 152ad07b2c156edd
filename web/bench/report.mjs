// report.mjs — the figures and markdown tables the bench scripts (bench.mjs, tiled.mjs,
// scan.mjs) print: one copy of each helper.

/** Median of the finite values of `xs` (undefined when there are none). */
export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** `x` with `digits` decimals, or a dash when it is not a number. */
export const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** A markdown table padded for the terminal; a header starting with `>` right-aligns its column. */
export function table(head, rows) {
  const right = head.map((h) => h.startsWith('>'));
  const cols = head.map((h) => h.replace(/^>/, ''));
  const width = cols.map((h, i) => Math.max(3, h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) => `| ${cells.map((c, i) => (right[i] ? String(c ?? '').padStart(width[i]) : String(c ?? '').padEnd(width[i]))).join(' | ')} |`;
  return [line(cols), line(width.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)))), ...rows.map(line)].join('\n');
}
