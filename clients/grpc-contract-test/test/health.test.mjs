// Standard health checking (grpc.health.v1) with the health proto of the grpc-health-check package.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import protoLoader from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';
import { GRPC_ADDR, LOADER_OPTIONS, grpc, deadline } from '../lib/env.mjs';

const Health = grpc.loadPackageDefinition(protoLoader.loadSync(protoPath, LOADER_OPTIONS)).grpc.health.v1.Health;
const health = new Health(GRPC_ADDR, grpc.credentials.createInsecure());
after(() => health.close());

function check(service) {
  return new Promise((resolve, reject) => {
    health.Check({ service }, new grpc.Metadata(), { deadline: deadline() }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

test('the server and the sync service are SERVING', async () => {
  assert.equal((await check('')).status, 'SERVING');
  assert.equal((await check('playconnect.v1.SyncService')).status, 'SERVING');
});

test('an unknown service is NOT_FOUND', async () => {
  const err = await check('no.such.Service').then(() => null, (e) => e);
  assert.equal(err.code, grpc.status.NOT_FOUND);
});

test('Watch streams the current status', async () => {
  const call = health.Watch({ service: 'playconnect.v1.SyncService' });
  const first = await new Promise((resolve, reject) => {
    call.on('data', resolve);
    call.on('error', reject);
  });
  assert.equal(first.status, 'SERVING');
  call.on('error', () => {});
  call.cancel();
});
