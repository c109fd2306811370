/** A bar chart in plain SVG: sized by its container, labelled for screen readers, no chart library. */
export function BarChart({
  bars,
  label,
  format,
}: {
  bars: { key: string; label: string; value: number }[];
  label: string;
  format: (v: number) => string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const w = 100 / Math.max(1, bars.length);
  const every = Math.ceil(bars.length / 8);
  return (
    <figure class="chart">
      <svg viewBox="0 0 100 60" preserveAspectRatio="none" role="img" aria-label={label}>
        {bars.map((b, i) => {
          const h = (Math.max(0, b.value) / max) * 52;
          return (
            <rect key={b.key} x={i * w + w * 0.12} y={56 - h} width={w * 0.76} height={h} rx="0.6" class="bar">
              <title>{`${b.label} : ${format(b.value)}`}</title>
            </rect>
          );
        })}
        <line x1="0" y1="56" x2="100" y2="56" class="axis" />
      </svg>
      <div class="chart-labels">
        {bars.map((b, i) => (
          <span key={b.key} style={{ width: `${w}%` }}>
            {i % every === 0 ? b.label : ''}
          </span>
        ))}
      </div>
      <figcaption>
        {label} · max {format(max)}
      </figcaption>
    </figure>
  );
}
