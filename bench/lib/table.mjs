// The results table: one row per measurement, the three implementations side by side, the
// ratios of ours to ws and to the raw TCP echo, and whether the target is met.

const IMPLS = ['gdws', 'ws', 'net'];

function formatValue(value, unit) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  if (unit === 'msg/s') return `${Math.round(value).toLocaleString('en-US')}`;
  if (unit === 'MiB/s') return value.toFixed(0);
  if (unit === 'µs') return value.toFixed(0);
  if (unit === 'ms') return value.toFixed(3);
  if (unit === 'KiB') return value.toFixed(2);
  if (unit === 'MiB') return value.toFixed(1);
  if (unit === '%') return value.toFixed(2);
  return String(value);
}

function formatRatio(value) {
  return value === undefined || Number.isNaN(value) ? '–' : `${value.toFixed(2)}×`;
}

/** Checks a row's target; returns 'met', 'NOT met' or '' (no target). */
export function targetMet(row) {
  const target = row.target;
  if (!target) return '';
  const value = target.against === 'absolute' ? row.values.gdws : row.ratios[target.against];
  if (value === undefined || Number.isNaN(value)) return 'NOT met';
  return (target.atMost ? value <= target.value : value >= target.value) ? 'met' : 'NOT met';
}

function describeTarget(target) {
  if (!target) return '';
  const sign = target.atMost ? '≤' : '≥';
  if (target.against === 'absolute') return `${sign} ${target.value} ${target.unit}`;
  return `${sign} ${target.value}× ${target.against}`;
}

/** Adds ratios of gdws to ws and to net (gdws / other: above 1 means more, e.g. faster or larger). */
export function withRatios(row) {
  const ratios = {};
  for (const other of ['ws', 'net']) {
    if (row.values.gdws !== undefined && row.values[other] !== undefined) ratios[other] = row.values.gdws / row.values[other];
  }
  return { ...row, ratios };
}

export function renderMarkdown(rows) {
  const lines = [
    '| measurement | unit | gdws | ws | net | gdws/ws | gdws/net | target | result |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const row of rows) {
    const values = IMPLS.map((impl) => formatValue(row.values[impl], row.unit));
    lines.push(
      `| ${row.name} | ${row.unit} | ${values.join(' | ')} | ${formatRatio(row.ratios.ws)} | ${formatRatio(row.ratios.net)} | ` +
        `${describeTarget(row.target)} | ${targetMet(row)} |`,
    );
  }
  return lines.join('\n');
}
