import { useEffect, useRef, useState } from 'preact/hooks';

const HEIGHT = 180;
const AXIS = 156;
/** Room under the axis for one line of date labels. */
const LABEL_Y = 174;
const LABEL_FONT_PX = 12;

/** The widest label's width in the page's own font, to thin the labels out so none overlaps or leaves the chart. */
function widestLabel(labels: string[], el: HTMLElement | null): number {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx || !el) return Math.max(0, ...labels.map((l) => l.length)) * LABEL_FONT_PX * 0.65;
  ctx.font = `${LABEL_FONT_PX}px ${getComputedStyle(el).fontFamily}`;
  return Math.max(0, ...labels.map((l) => ctx.measureText(l).width));
}

/**
 * A bar chart in plain SVG, drawn in the pixels of its container (measured, so its date labels keep their
 * size and stay inside on a phone), labelled for screen readers, no chart library.
 */
export function BarChart({
  bars,
  label,
  format,
}: {
  bars: { key: string; label: string; value: number }[];
  label: string;
  format: (v: number) => string;
}) {
  const box = useRef<HTMLElement>(null);
  // 0 until measured: the chart is drawn once its container's width (and font) is known.
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(120, Math.floor(el.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const w = width / Math.max(1, bars.length);
  const labelPx =
    widestLabel(
      bars.map((b) => b.label),
      box.current,
    ) + 10;
  const every = Math.max(1, Math.ceil(labelPx / w));
  // Every `every`-th bar is labelled, centred under it but held inside the chart at both ends; a label that
  // holding-in would push onto the one before is left out.
  const placed: { key: string; label: string; x: number }[] = [];
  let right = -Infinity;
  bars.forEach((b, i) => {
    if (i % every !== 0) return;
    const x = Math.min(width - labelPx / 2, Math.max(labelPx / 2, i * w + w / 2));
    if (x - labelPx / 2 < right) return;
    placed.push({ key: b.key, label: b.label, x });
    right = x + labelPx / 2;
  });
  return (
    <figure class="chart" ref={box}>
      {width > 0 && (
        <svg viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label={label}>
          {bars.map((b, i) => {
            const h = (Math.max(0, b.value) / max) * (AXIS - 8);
            return (
              <rect key={b.key} x={i * w + w * 0.12} y={AXIS - h} width={w * 0.76} height={h} rx="2" class="bar">
                <title>{`${b.label} : ${format(b.value)}`}</title>
              </rect>
            );
          })}
          <line x1="0" y1={AXIS} x2={width} y2={AXIS} class="axis" />
          {placed.map((l) => (
            <text key={l.key} x={l.x} y={LABEL_Y} text-anchor="middle" class="chart-label">
              {l.label}
            </text>
          ))}
        </svg>
      )}
      <figcaption>
        {label} · max {format(max)}
      </figcaption>
    </figure>
  );
}
