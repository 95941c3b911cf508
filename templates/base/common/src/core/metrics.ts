/**
 * A tiny Prometheus registry (C32): counters, fixed-bucket histograms and callback gauges, rendered as the
 * text exposition format. Small on purpose: the hot path is one Map lookup and a few additions per request.
 */

export type Labels = Readonly<Record<string, string | number>>;

/** Seconds; suits API latency from 5 ms to 10 s. */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Counter {
  type: 'counter';
  help: string;
  series: Map<string, number>;
}

interface Histogram {
  type: 'histogram';
  help: string;
  series: Map<string, { buckets: number[]; sum: number; count: number }>;
}

interface Gauge {
  type: 'gauge';
  help: string;
  read: () => number;
}

type Family = Counter | Histogram | Gauge;

function escapeLabel(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // Hot path: label values are almost never in need of escaping.
  if (value.indexOf('\\') === -1 && value.indexOf('"') === -1 && value.indexOf('\n') === -1) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `a="1",b="2"`: the series key and its rendered form at once. */
function labelKey(labels: Labels): string {
  let key = '';
  for (const name in labels) {
    if (key !== '') key += ',';
    key += `${name}="${escapeLabel(labels[name] as string | number)}"`;
  }
  return key;
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  /** Give a counter or histogram its help text (optional; otherwise the name is used). */
  describe(name: string, type: 'counter' | 'histogram', help: string): void {
    const family = this.families.get(name);
    if (family) family.help = help;
    else
      this.families.set(
        name,
        type === 'counter' ? { type, help, series: new Map() } : { type, help, series: new Map() },
      );
  }

  inc(name: string, labels: Labels = {}, value = 1): void {
    let family = this.families.get(name);
    if (family === undefined) {
      family = { type: 'counter', help: name, series: new Map() };
      this.families.set(name, family);
    }
    if (family.type !== 'counter') throw new Error(`metric ${name} is a ${family.type}`);
    const key = labelKey(labels);
    family.series.set(key, (family.series.get(key) ?? 0) + value);
  }

  observe(name: string, labels: Labels, seconds: number): void {
    let family = this.families.get(name);
    if (family === undefined) {
      family = { type: 'histogram', help: name, series: new Map() };
      this.families.set(name, family);
    }
    if (family.type !== 'histogram') throw new Error(`metric ${name} is a ${family.type}`);
    const key = labelKey(labels);
    let series = family.series.get(key);
    if (series === undefined) {
      series = { buckets: new Array<number>(BUCKETS.length).fill(0), sum: 0, count: 0 };
      family.series.set(key, series);
    }
    // Buckets are stored non-cumulative and summed at render time: one increment per observation.
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]!) {
        series.buckets[i]! += 1;
        break;
      }
    }
    series.sum += seconds;
    series.count += 1;
  }

  /** A value read at render time (in-flight requests, event-loop delay, pool size). */
  gauge(name: string, help: string, read: () => number): void {
    this.families.set(name, { type: 'gauge', help, read });
  }

  render(): string {
    const out: string[] = [];
    for (const [name, family] of this.families) {
      out.push(`# HELP ${name} ${family.help.replace(/\n/g, ' ')}`, `# TYPE ${name} ${family.type}`);
      if (family.type === 'gauge') {
        let value: number;
        try {
          value = family.read();
        } catch {
          value = Number.NaN;
        }
        out.push(`${name} ${value}`);
      } else if (family.type === 'counter') {
        for (const [key, value] of family.series) out.push(`${name}${key ? `{${key}}` : ''} ${value}`);
      } else {
        for (const [key, series] of family.series) {
          const sep = key ? ',' : '';
          let cumulative = 0;
          BUCKETS.forEach((le, i) => {
            cumulative += series.buckets[i]!;
            out.push(`${name}_bucket{${key}${sep}le="${le}"} ${cumulative}`);
          });
          out.push(`${name}_bucket{${key}${sep}le="+Inf"} ${series.count}`);
          out.push(`${name}_sum${key ? `{${key}}` : ''} ${series.sum}`);
          out.push(`${name}_count${key ? `{${key}}` : ''} ${series.count}`);
        }
      }
    }
    return `${out.join('\n')}\n`;
  }
}
