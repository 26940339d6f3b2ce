// The live dashboard: scrapes this server's /metrics every second and redraws the charts.
import { parsePrometheus, MetricSeries } from './metrics.js';
import { lineChart, barChart, COLORS } from './charts.js';

const INTERVAL_MS = 1000;
const CAPACITY = 120;
const series = new MetricSeries(CAPACITY);
const $ = (id) => document.getElementById(id);
let scrapes = 0;

async function scrape() {
  const started = Date.now();
  try {
    const response = await fetch('/metrics', { cache: 'no-store' });
    if (!response.ok) {
      throw new Error(`/metrics answered ${response.status}`);
    }
    const point = series.add(started, parsePrometheus(await response.text()));
    scrapes += 1;
    draw(point);
    const status = $('scrape');
    status.className = '';
    status.textContent = `${scrapes} scrapes, last at ${new Date(started).toLocaleTimeString()}`;
    status.dataset.scrapes = String(scrapes);
  } catch (error) {
    const status = $('scrape');
    status.className = 'failing';
    status.textContent = `scrape failed: ${error.message}; retrying`;
  } finally {
    setTimeout(scrape, Math.max(0, INTERVAL_MS - (Date.now() - started)));
  }
}

function draw(point) {
  const points = series.points;
  const protocols = [...new Set(points.flatMap((p) => Object.keys(p.connections)))].sort();
  const connections = protocols.map((name, i) => ({ name, color: COLORS[i % COLORS.length], values: points.map((p) => p.connections[name] ?? 0) }));
  lineChart($('chart-connections'), connections, CAPACITY);
  legend($('legend-connections'), connections);
  const open = Object.values(point.connections).reduce((a, b) => a + b, 0);
  show('value-connections', open, protocols.map((p) => `${p} ${point.connections[p]}`).join(', ') || '0');

  const messages = [
    { name: 'frames in + out', color: COLORS[0], values: points.map((p) => p.messagesPerSecond) },
    { name: 'commands accepted', color: COLORS[2], values: points.map((p) => p.acceptedPerSecond) },
    { name: 'events delivered', color: COLORS[4], values: points.map((p) => p.deliveriesPerSecond) },
  ];
  lineChart($('chart-messages'), messages, CAPACITY);
  legend($('legend-messages'), messages);
  show('value-messages', point.messagesPerSecond, `${point.messagesPerSecond.toFixed(1)}/s`);

  lineChart($('chart-p99'), [{ name: 'p99', color: COLORS[1], values: points.map((p) => p.p99DeliveryMs) }], CAPACITY);
  show('value-p99', point.p99DeliveryMs ?? '', point.p99DeliveryMs === null ? 'no deliveries' : `${point.p99DeliveryMs.toFixed(1)} ms`);

  const rooms = [
    { name: 'rooms loaded', color: COLORS[3], values: points.map((p) => p.roomsLoaded) },
    { name: 'partitions owned', color: COLORS[5], values: points.map((p) => p.partitionsOwned) },
  ];
  lineChart($('chart-rooms'), rooms, CAPACITY);
  legend($('legend-rooms'), rooms);
  show('value-rooms', point.roomsLoaded, String(point.roomsLoaded));
  show('value-partitions', point.partitionsOwned, String(point.partitionsOwned));

  const bars = Object.entries(point.queueDepth).map(([label, value]) => ({ label, value }))
    .sort((a, b) => Number(a.label) - Number(b.label));
  barChart($('chart-queue'), bars);
  const waiting = bars.reduce((a, b) => a + b.value, 0);
  show('value-queue', waiting, `${waiting} waiting`);
}

function show(id, value, text) {
  const node = $(id);
  node.dataset.value = String(value);
  node.textContent = text;
}

function legend(container, lines) {
  container.replaceChildren(...lines.map((s) => {
    const item = document.createElement('span');
    const chip = document.createElement('i');
    chip.style.background = s.color;
    item.append(chip, s.name);
    return item;
  }));
}

scrape();
