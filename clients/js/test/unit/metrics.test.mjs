import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePrometheus, total, byLabel, buckets, quantileBetween, MetricSeries, NAMES } from '../../demo/metrics.js';

/** A scrape in the server's format (Micrometer's Prometheus registry), with the given counts. */
function scrape({ connections = 1, framesIn = 0, framesOut = 0, accepted = 0, le1 = 0, le2 = 0, le4 = 0, rooms = 0 }) {
  return `# HELP playconnect_edge_connections  
# TYPE playconnect_edge_connections gauge
playconnect_edge_connections{protocol="websocket"} ${connections}.0
playconnect_edge_connections{protocol="mqtt"} 2.0
# TYPE playconnect_edge_frames_in_total counter
playconnect_edge_frames_in_total{protocol="websocket"} ${framesIn}.0
# TYPE playconnect_edge_frames_out_total counter
playconnect_edge_frames_out_total{protocol="websocket"} ${framesOut}.0
# TYPE playconnect_engine_commands_total counter
playconnect_engine_commands_total{kind="game",result="accepted"} ${accepted}.0
playconnect_engine_commands_total{kind="game",result="illegal_move"} 3.0
# TYPE playconnect_edge_fanout_latency_seconds histogram
playconnect_edge_fanout_latency_seconds_bucket{protocol="websocket",le="0.001"} ${le1}
playconnect_edge_fanout_latency_seconds_bucket{protocol="websocket",le="0.002"} ${le2}
playconnect_edge_fanout_latency_seconds_bucket{protocol="websocket",le="0.004"} ${le4}
playconnect_edge_fanout_latency_seconds_bucket{protocol="websocket",le="+Inf"} ${le4}
playconnect_edge_fanout_latency_seconds_count{protocol="websocket"} ${le4}
playconnect_engine_rooms_loaded ${rooms}.0
playconnect_engine_partitions_owned 16.0
playconnect_engine_partition_queue_depth{partition="0"} 2.0
playconnect_engine_partition_queue_depth{partition="1"} 0.0
`;
}

test('parses samples with labels, skipping comments and lines that do not parse', () => {
  const m = parsePrometheus(`${scrape({ connections: 3 })}garbage line here\nname_only\nweird{a="x\\"y"} 7 1700000000000\n`);
  assert.equal(total(m, NAMES.connections), 5);
  assert.deepEqual(byLabel(m, NAMES.connections, 'protocol'), { websocket: 3, mqtt: 2 });
  assert.equal(total(m, NAMES.engineCommands, { result: 'accepted' }), 0);
  assert.equal(total(m, NAMES.engineCommands), 3);
  assert.deepEqual(m.get('weird'), [{ labels: { a: 'x"y' }, value: 7 }]);
  assert.equal(m.has('garbage'), false);
  assert.deepEqual(buckets(m, NAMES.fanoutBucket).map(([le]) => le), [0.001, 0.002, 0.004, Infinity]);
});

test('the quantile of a histogram between two scrapes interpolates inside the bucket', () => {
  const before = buckets(parsePrometheus(scrape({ le1: 10, le2: 10, le4: 10 })), NAMES.fanoutBucket);
  // 100 new observations: 90 up to 1 ms, 9 in (1, 2] ms, 1 in (2, 4] ms.
  const now = buckets(parsePrometheus(scrape({ le1: 100, le2: 109, le4: 110 })), NAMES.fanoutBucket);
  assert.ok(Math.abs(quantileBetween(0.99, now, before) - 0.002) < 1e-12);
  assert.ok(Math.abs(quantileBetween(0.5, now, before) - 0.001 * (50 / 90)) < 1e-12);
  assert.ok(Math.abs(quantileBetween(1, now, before) - 0.004) < 1e-12);
  assert.equal(quantileBetween(0.99, before, before), null, 'nothing counted in between');
});

test('successive scrapes become rates per second, the p99 in ms and the gauges as they are', () => {
  const series = new MetricSeries(3);
  const first = series.add(1000, parsePrometheus(scrape({ framesIn: 10, framesOut: 10, accepted: 5 })));
  assert.equal(first.messagesPerSecond, 0, 'no rate from one scrape');
  assert.equal(first.p99DeliveryMs, null);
  const second = series.add(3000, parsePrometheus(scrape({ framesIn: 30, framesOut: 50, accepted: 25, le1: 100, le2: 100, le4: 100, rooms: 4 })));
  assert.equal(second.messagesPerSecond, 30); // (80 - 20) frames over 2 s
  assert.equal(second.acceptedPerSecond, 10);
  assert.ok(Math.abs(second.p99DeliveryMs - 0.99) < 1e-9);
  assert.deepEqual([second.roomsLoaded, second.partitionsOwned], [4, 16]);
  assert.deepEqual(second.connections, { websocket: 1, mqtt: 2 });
  assert.deepEqual(second.queueDepth, { 0: 2, 1: 0 });
  const restarted = series.add(4000, parsePrometheus(scrape({ framesIn: 1 })));
  assert.equal(restarted.messagesPerSecond, 0, 'a counter that went back (a restart) gives no negative rate');
  series.add(5000, parsePrometheus(scrape({})));
  assert.equal(series.points.length, 3, 'only the last `capacity` points are kept');
});

test('a process without the engine counts accepted commands from the edge timer', () => {
  const text = (n) => `playconnect_edge_commands_seconds_count{outcome="accepted",protocol="websocket"} ${n}\n`
    + 'playconnect_edge_commands_seconds_count{outcome="illegal_move",protocol="websocket"} 1\n';
  const series = new MetricSeries();
  series.add(0, parsePrometheus(text(10)));
  assert.equal(series.add(1000, parsePrometheus(text(14))).acceptedPerSecond, 4);
});
