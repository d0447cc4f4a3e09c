import type { ChartData, ChartOptions, TooltipItem } from 'chart.js';
import type { Guard, GuardCheck } from '@/api/types';
import { formatArmValue, formatChange } from './guard-text';

/**
 * The plan page's guard charts as chart.js configurations, from one guard's checks in a stage:
 * each arm's value over time, and the relative change with its interval as a band and the
 * tolerance as a line. Canvas colours cannot be CSS variables, so they are the theme's shades.
 */

export const GUARD_COLOURS = {
  treatment: '#4f46e5', // indigo 600, the primary colour
  control: '#64748b', // slate 500
  band: 'rgba(79, 70, 229, 0.16)',
  threshold: '#dc2626', // red 600
  text: '#475569',
  grid: '#e2e8f0',
  zero: '#94a3b8',
} as const;

export interface ChartConfig {
  data: ChartData<'line', (number | null)[], string>;
  options: ChartOptions<'line'>;
  /** What the chart shows, in words: the canvas's accessible name. */
  summary: string;
}

/** This guard's checks (index `guard`, -1 for the sample ratio) in check order. */
export const checksOf = (checks: readonly GuardCheck[], guard: number): GuardCheck[] =>
  checks.filter((c) => c.guard === guard).sort((a, b) => a.seq - b.seq);

/** The smallest of 1, 2 and 5 times a power of ten that is at least `x`: an axis edge whose half is round too. */
export function niceCeil(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 5, 10].find((m) => m * power >= x * (1 - 1e-9)) ?? 10) * power;
}

const clockTime = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

function lineOptions(tick: (v: number) => string, extra: ChartOptions<'line'> = {}): ChartOptions<'line'> {
  const font = { size: 11 };
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 8, font, color: GUARD_COLOURS.text } },
      tooltip: {
        callbacks: {
          label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${tick(item.parsed.y ?? 0)}`,
        },
      },
      ...extra.plugins,
    },
    scales: {
      x: { ticks: { maxTicksLimit: 5, maxRotation: 0, font, color: GUARD_COLOURS.text }, grid: { display: false } },
      y: {
        ticks: { maxTicksLimit: 5, font, color: GUARD_COLOURS.text, callback: (v) => tick(Number(v)) },
        grid: { color: GUARD_COLOURS.grid },
        ...extra.scales?.y,
      },
    },
  };
}

const line = (label: string, colour: string, data: (number | null)[], extra: object = {}) => ({
  label,
  data,
  borderColor: colour,
  backgroundColor: colour,
  borderWidth: 2,
  pointRadius: data.length > 30 ? 0 : 2,
  tension: 0.25,
  spanGaps: true,
  ...extra,
});

const latestOf = (n: number) => (n === 1 ? 'at the only check' : `at the latest of ${n} checks`);

/** Treatment and control values over the checks: shares in percent, means as they are. */
export function armsChart(checks: readonly GuardCheck[], kind: 'event_share' | 'event_mean'): ChartConfig {
  const scale = kind === 'event_share' ? 100 : 1;
  const series = (arm: 'treatment' | 'control') =>
    checks.map((c) => {
      const v = c.arms?.[arm].value;
      return v === null || v === undefined ? null : v * scale;
    });
  const tick = (v: number) => formatArmValue(kind, v / scale);
  const last = checks[checks.length - 1];
  return {
    data: {
      labels: checks.map((c) => clockTime(c.checkedAt)),
      datasets: [
        line('Treatment', GUARD_COLOURS.treatment, series('treatment')),
        line('Control', GUARD_COLOURS.control, series('control'), { borderDash: [5, 3] }),
      ],
    },
    options: lineOptions(tick),
    summary: last?.arms
      ? `${kind === 'event_share' ? 'Share' : 'Mean'} per arm ${latestOf(checks.length)}: treatment ${formatArmValue(kind, last.arms.treatment.value)}, control ${formatArmValue(kind, last.arms.control.value)}`
      : 'No checks yet',
  };
}

/** The tolerance as the change axis shows it: above zero when lower is better, below when higher is. */
export function toleranceOf(g: Extract<Guard, { kind: 'event_share' | 'event_mean' }>): number {
  return g.direction === 'higher_is_better' ? -g.maxRelativeIncrease : g.maxRelativeIncrease;
}

/** The relative change (treatment − control) / control: its estimate, its interval as a band, and the tolerance. */
export function changeChart(
  checks: readonly GuardCheck[],
  g: Extract<Guard, { kind: 'event_share' | 'event_mean' }>,
): ChartConfig {
  const at = (f: (i: NonNullable<GuardCheck['interval']>) => number) =>
    checks.map((c) => (c.interval ? f(c.interval) * 100 : null));
  const tolerance = toleranceOf(g);
  const estimates = checks.flatMap((c) => (c.interval ? [Math.abs(c.interval.estimate)] : []));
  // the early intervals are wide: the axis follows the tolerance and the estimates, and the band is cut at its edge
  const range = niceCeil(Math.max(Math.abs(tolerance) * 2.5, ...estimates.map((e) => e * 1.6), 0.05) * 100);
  const tick = (v: number) => formatChange(v / 100);
  const band = { pointRadius: 0, borderWidth: 0, borderColor: 'transparent', tension: 0.25, spanGaps: true };
  const last = checks[checks.length - 1];
  return {
    data: {
      labels: checks.map((c) => clockTime(c.checkedAt)),
      datasets: [
        { label: 'Interval low', data: at((i) => i.lower), fill: false, ...band },
        { label: 'Interval', data: at((i) => i.upper), fill: '-1', backgroundColor: GUARD_COLOURS.band, ...band },
        line(
          'Estimate',
          GUARD_COLOURS.treatment,
          at((i) => i.estimate),
        ),
        line(
          'Allowed',
          GUARD_COLOURS.threshold,
          checks.map(() => tolerance * 100),
          { borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 },
        ),
      ],
    },
    options: lineOptions(tick, {
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            boxWidth: 12,
            boxHeight: 8,
            font: { size: 11 },
            color: GUARD_COLOURS.text,
            filter: (item) => item.text !== 'Interval low',
          },
        },
        tooltip: {
          filter: (item) => item.dataset.label !== 'Interval low',
          callbacks: {
            label: (item) => {
              if (item.dataset.label !== 'Interval') return `${item.dataset.label}: ${tick(item.parsed.y ?? 0)}`;
              const low = item.chart.data.datasets[0].data[item.dataIndex] as number | null;
              return `Interval: ${tick(low ?? 0)} to ${tick(item.parsed.y ?? 0)}`;
            },
          },
        },
      },
      scales: {
        y: {
          min: -range,
          max: range,
          ticks: {
            stepSize: range / 2,
            font: { size: 11 },
            color: GUARD_COLOURS.text,
            callback: (v) => tick(Number(v)),
          },
          grid: { color: (ctx) => (ctx.tick?.value === 0 ? GUARD_COLOURS.zero : GUARD_COLOURS.grid) },
        },
      },
    }),
    summary: last?.interval
      ? `Change against control ${latestOf(checks.length)}: ${formatChange(last.interval.estimate)}, interval ${formatChange(last.interval.lower)} to ${formatChange(last.interval.upper)}; allowed ${formatChange(tolerance)}`
      : 'No estimate yet: too few units',
  };
}

/** A Prometheus guard's value over the checks, with its bounds as lines. */
export function valueChart(checks: readonly GuardCheck[], g: Extract<Guard, { kind: 'prometheus' }>): ChartConfig {
  const tick = (v: number) => v.toLocaleString('en', { maximumFractionDigits: 4 });
  const bound = (label: string, v: number) =>
    line(
      label,
      GUARD_COLOURS.threshold,
      checks.map(() => v),
      { borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 },
    );
  const last = checks[checks.length - 1];
  return {
    data: {
      labels: checks.map((c) => clockTime(c.checkedAt)),
      datasets: [
        line(
          'Value',
          GUARD_COLOURS.treatment,
          checks.map((c) => c.value ?? null),
        ),
        ...(g.max !== undefined ? [bound('Max', g.max)] : []),
        ...(g.min !== undefined ? [bound('Min', g.min)] : []),
      ],
    },
    options: lineOptions(tick),
    summary:
      last?.value !== undefined && last.value !== null
        ? `Query value ${latestOf(checks.length)}: ${tick(last.value)}`
        : 'No value yet',
  };
}
