// Server reflection, v1 and v1alpha, with our own requests through @grpc/grpc-js (the reflection
// protos come with the @grpc/reflection package); the descriptors are decoded with protobufjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import protoLoader from '@grpc/proto-loader';
import { GRPC_ADDR, LOADER_OPTIONS, grpc } from '../lib/env.mjs';

const require = createRequire(import.meta.url);
const reflectionRoot = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
const descriptor = require('protobufjs/ext/descriptor');

const clients = [];
after(() => clients.forEach((c) => c.close()));

function reflectionClient(version) {
  const def = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, { ...LOADER_OPTIONS, includeDirs: [reflectionRoot] });
  const pkg = grpc.loadPackageDefinition(def).grpc.reflection[version];
  const client = new pkg.ServerReflection(GRPC_ADDR, grpc.credentials.createInsecure());
  clients.push(client);
  return client;
}

/** Sends one request on a ServerReflectionInfo stream and returns the one answer. */
function ask(client, request) {
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (answer) => {
      resolve(answer);
      call.end();
    });
    call.on('error', reject);
    call.write(request);
  });
}

for (const version of ['v1', 'v1alpha']) {
  test(`${version}: lists the services`, async () => {
    const answer = await ask(reflectionClient(version), { list_services: '' });
    const names = answer.list_services_response.service.map((s) => s.name);
    for (const expected of ['playconnect.v1.SyncService', 'grpc.health.v1.Health']) {
      assert.ok(names.includes(expected), `${expected} in ${names}`);
    }
  });

  test(`${version}: describes SyncService as the .proto does`, async () => {
    const answer = await ask(reflectionClient(version), { file_containing_symbol: 'playconnect.v1.SyncService' });
    const files = answer.file_descriptor_response.file_descriptor_proto
      .map((bytes) => descriptor.FileDescriptorProto.decode(bytes));
    const sync = files.find((f) => f.name === 'playconnect/v1/sync.proto');
    assert.ok(sync, `sync.proto among ${files.map((f) => f.name)}`);
    assert.ok(sync.dependency.includes('playconnect/v1/envelope.proto'));
    const methods = Object.fromEntries(sync.service[0].method.map((m) => [m.name, m]));
    assert.deepEqual(Object.keys(methods).sort(), ['Connect', 'GetPresence', 'GetSnapshot', 'Publish', 'Subscribe']);
    assert.equal(methods.Connect.clientStreaming, true);
    assert.equal(methods.Connect.serverStreaming, true);
    assert.equal(methods.Subscribe.serverStreaming, true);
    assert.ok(!methods.Publish.clientStreaming && !methods.Publish.serverStreaming);
    assert.equal(methods.Publish.outputType, '.playconnect.v1.PublishResponse');

    const envelope = await ask(reflectionClient(version), { file_by_filename: 'playconnect/v1/envelope.proto' });
    const file = descriptor.FileDescriptorProto.decode(envelope.file_descriptor_response.file_descriptor_proto[0]);
    const event = file.messageType.find((m) => m.name === 'Event');
    assert.equal(event.field.find((f) => f.name === 'payload').type, 12, 'payload is bytes');
  });
}
