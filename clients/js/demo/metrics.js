// Reads the server's own /metrics (Prometheus text format 0.0.4) and turns successive scrapes into
// the dashboard's series. Meter names: io.playconnect.server.MetricNames and
// io.playconnect.edge.EdgeMetrics (Micrometer's dots become underscores, counters end in _total,
// timers in _seconds).

export const NAMES = Object.freeze({
  connections: 'playconnect_edge_connections',
  framesIn: 'playconnect_edge_frames_in_total',
  framesOut: 'playconnect_edge_frames_out_total',
  deliveries: 'playconnect_edge_deliveries_total',
  fanoutBucket: 'playconnect_edge_fanout_latency_seconds_bucket',
  engineCommands: 'playconnect_engine_commands_total',
  /** The edge's command timer: what a process without the engine role has instead. */
  edgeCommandsCount: 'playconnect_edge_commands_seconds_count',
  roomsLoaded: 'playconnect_engine_rooms_loaded',
  partitionsOwned: 'playconnect_engine_partitions_owned',
  queueDepth: 'playconnect_engine_partition_queue_depth',
});

/**
 * Parses exposition text into name -> [{labels, value}]. Comments, HELP and TYPE lines are
 * skipped; a line that does not parse is skipped too rather than failing the whole scrape.
 */
export function parsePrometheus(text) {
  const metrics = new Map();
  for (const raw of String(text).split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) {
      continue;
    }
    const sample = parseLine(line);
    if (sample) {
      const list = metrics.get(sample.name) ?? [];
      list.push({ labels: sample.labels, value: sample.value });
      metrics.set(sample.name, list);
    }
  }
  return metrics;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;

function parseLine(line) {
  const m = LINE.exec(line);
  if (!m) {
    return null;
  }
  const labels = {};
  if (m[3]) {
    for (const l of m[3].matchAll(LABEL)) {
      labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
  }
  const value = parseValue(m[4]);
  return Number.isNaN(value) && m[4] !== 'NaN' ? null : { name: m[1], labels, value };
}

function parseValue(text) {
  if (text === '+Inf' || text === 'Inf') {
    return Infinity;
  }
  if (text === '-Inf') {
    return -Infinity;
  }
  return Number(text);
}

/** The sum of a metric's samples whose labels match `where` (all of them by default). */
export function total(metrics, name, where = {}) {
  let sum = 0;
  for (const s of metrics.get(name) ?? []) {
    if (Object.entries(where).every(([k, v]) => s.labels[k] === v)) {
      sum += s.value;
    }
  }
  return sum;
}

/** The sum of a metric per value of one label: {websocket: 3, mqtt: 1}. */
export function byLabel(metrics, name, label) {
  const out = {};
  for (const s of metrics.get(name) ?? []) {
    const key = s.labels[label] ?? '';
    out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}

/** Cumulative histogram buckets summed over every series: [[le, count]] sorted by le. */
export function buckets(metrics, name) {
  const byLe = new Map();
  for (const s of metrics.get(name) ?? []) {
    const le = parseValue(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  return [...byLe.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * The q-quantile of what a cumulative histogram counted between two scrapes, interpolated
 * linearly inside the bucket (as PromQL's histogram_quantile does). Null when nothing was counted.
 */
export function quantileBetween(q, now, before = []) {
  const earlier = new Map(before);
  const delta = now.map(([le, count]) => [le, Math.max(0, count - (earlier.get(le) ?? 0))]);
  const count = delta.length ? delta[delta.length - 1][1] : 0;
  if (count <= 0) {
    return null;
  }
  const rank = q * count;
  let lowerLe = 0;
  let lowerCount = 0;
  for (const [le, cumulative] of delta) {
    if (cumulative >= rank) {
      if (le === Infinity) {
        return lowerLe;
      }
      const inBucket = cumulative - lowerCount;
      return inBucket > 0 ? lowerLe + (le - lowerLe) * ((rank - lowerCount) / inBucket) : le;
    }
    lowerLe = le;
    lowerCount = cumulative;
  }
  return lowerLe;
}

/** Successive scrapes to the values the dashboard draws, keeping the last `capacity` points. */
export class MetricSeries {
  constructor(capacity = 120) {
    this.capacity = capacity;
    this.points = [];
    this.previous = null;
  }

  /** Adds one scrape taken at `time` (ms); returns the point it made. */
  add(time, metrics) {
    const engine = metrics.has(NAMES.engineCommands);
    const counters = {
      frames: total(metrics, NAMES.framesIn) + total(metrics, NAMES.framesOut),
      commands: engine ? total(metrics, NAMES.engineCommands) : total(metrics, NAMES.edgeCommandsCount),
      accepted: engine ? total(metrics, NAMES.engineCommands, { result: 'accepted' })
        : total(metrics, NAMES.edgeCommandsCount, { outcome: 'accepted' }),
      deliveries: total(metrics, NAMES.deliveries),
    };
    const fanout = buckets(metrics, NAMES.fanoutBucket);
    const prev = this.previous;
    const seconds = prev ? (time - prev.time) / 1000 : 0;
    const rate = (key) => (prev && seconds > 0 ? Math.max(0, counters[key] - prev.counters[key]) / seconds : 0);
    const p99 = prev ? quantileBetween(0.99, fanout, prev.fanout) : null;
    const point = {
      time,
      connections: byLabel(metrics, NAMES.connections, 'protocol'),
      messagesPerSecond: rate('frames'),
      commandsPerSecond: rate('commands'),
      acceptedPerSecond: rate('accepted'),
      deliveriesPerSecond: rate('deliveries'),
      p99DeliveryMs: p99 === null ? null : p99 * 1000,
      roomsLoaded: total(metrics, NAMES.roomsLoaded),
      partitionsOwned: total(metrics, NAMES.partitionsOwned),
      queueDepth: byLabel(metrics, NAMES.queueDepth, 'partition'),
    };
    this.previous = { time, counters, fanout };
    this.points.push(point);
    if (this.points.length > this.capacity) {
      this.points.shift();
    }
    return point;
  }
}
