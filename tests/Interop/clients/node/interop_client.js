#!/usr/bin/env node
// grpc-js interop client: runs one case of gRPC's interop test descriptions (plus DangVu's own
// cases) against a server, exits 0 when it passes and 1 with the reason when it fails.
//   node interop_client.js --server_host=127.0.0.1 --server_port=50051 --test_case=large_unary
'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const args = require('./args')(process.argv.slice(2));

const host = args.server_host || '127.0.0.1';
const port = args.server_port;
const testCase = args.test_case;
const protoDirs = [
  args.proto_dir || path.join(__dirname, '../../protos'),
  args.contracts_dir || path.join(__dirname, '../../../../Contracts'),
  args.core_protos_dir || path.join(__dirname, '../../../../Core/DangVu.Core/Rpc/Protos'),
];

const loadOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: protoDirs };
const testing = grpc.loadPackageDefinition(protoLoader.loadSync(['grpc/testing/test.proto'], loadOptions)).grpc.testing;
const target = `${host}:${port}`;
const GZIP = 2; // grpc-js compression algorithm ids: 0 identity, 1 deflate, 2 gzip
const NO_COMPRESS = 2; // WriteFlags.NoCompress
const MiB = 1024 * 1024;

function stub(Service = testing.TestService, compressed = false) {
  const options = compressed ? { 'grpc.default_compression_algorithm': GZIP } : {};
  return new Service(target, grpc.credentials.createInsecure(), options);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function zeros(n) {
  return Buffer.alloc(n);
}

function checkPayload(payload, size) {
  check(payload && payload.body.length === size, `payload of ${size} bytes expected, got ${payload ? payload.body.length : 'none'}`);
  check(payload.body.every((b) => b === 0), 'payload expected to be zeros');
}

function deadlineIn(ms) {
  return { deadline: Date.now() + ms };
}

// A unary call: resolves { response, headers, status } or rejects with the grpc error.
function unary(client, method, request, metadata = new grpc.Metadata(), options = deadlineIn(30000)) {
  return handled(new Promise((resolve, reject) => {
    let headers = null;
    let response = null;
    let error = null;
    const call = client[method](request, metadata, options, (err, res) => {
      error = err;
      response = res;
    });
    call.on('metadata', (m) => { headers = m; });
    call.on('status', (status) => {
      if (error) {
        error.headers = headers;
        reject(error);
      } else {
        resolve({ response, headers, status });
      }
    });
  }));
}

// Reads a response stream to its end: resolves { messages, headers, status } or rejects.
function collect(call) {
  return handled(new Promise((resolve, reject) => {
    const messages = [];
    let headers = null;
    let error = null;
    call.on('metadata', (m) => { headers = m; });
    call.on('data', (m) => messages.push(m));
    call.on('error', (e) => { error = e; });
    call.on('status', (status) => {
      if (error) {
        error.messages = messages;
        reject(error);
      } else {
        resolve({ messages, headers, status });
      }
    });
  }));
}

// A failure is awaited later (after writes); mark it handled so node does not abort first.
function handled(promise) {
  promise.catch(() => {});
  return promise;
}

function clientStream(client, method, metadata = new grpc.Metadata(), options = deadlineIn(30000)) {
  let settle;
  const done = handled(new Promise((resolve, reject) => { settle = { resolve, reject }; }));
  let response = null;
  let error = null;
  const call = client[method](metadata, options, (err, res) => { error = err; response = res; });
  call.on('status', (status) => (error ? settle.reject(error) : settle.resolve({ response, status })));
  return { call, done };
}

async function expectError(promise, code, details) {
  try {
    await promise;
  } catch (e) {
    check(e.code === code, `status ${code} expected, got ${e.code} (${e.details})`);
    if (details !== undefined) {
      check(e.details === details, `status message ${JSON.stringify(details)} expected, got ${JSON.stringify(e.details)}`);
    }
    return e;
  }
  throw new Error(`status ${code} expected, but the call succeeded`);
}

function writeAsync(call, message, flags) {
  return new Promise((resolve, reject) => {
    // Node's Writable.write accepts only string encodings; grpc-js reads write flags from
    // the encoding argument of _write, which is how a single message opts out of compression.
    if (flags !== undefined) call._write(message, flags, (e) => (e ? reject(e) : resolve()));
    else call.write(message, (e) => (e ? reject(e) : resolve()));
  });
}

const largeRequest = () => ({ response_size: 314159, payload: { body: zeros(271828) } });
const sizes = { request: [27182, 8, 1828, 45904], response: [31415, 9, 2653, 58979] };
const S = grpc.status;

const cases = {
  async empty_unary() {
    const { response } = await unary(stub(), 'EmptyCall', {});
    check(response && Object.keys(response).length === 0, 'empty response expected');
  },

  async large_unary() {
    const { response } = await unary(stub(), 'UnaryCall', largeRequest());
    checkPayload(response.payload, 314159);
  },

  async large_unary_near_max() {
    const size = 4 * MiB - 64;
    const { response } = await unary(stub(), 'UnaryCall', { response_size: size, payload: { body: zeros(size) } });
    checkPayload(response.payload, size);
  },

  async client_compressed_unary() {
    const request = (expect) => ({ ...largeRequest(), expect_compressed: { value: expect } });
    // Probe: the server must notice that a message expected compressed was not.
    await expectError(unary(stub(), 'UnaryCall', request(true)), S.INVALID_ARGUMENT);
    checkPayload((await unary(stub(testing.TestService, true), 'UnaryCall', request(true))).response.payload, 314159);
    checkPayload((await unary(stub(), 'UnaryCall', request(false))).response.payload, 314159);
  },

  async server_compressed_unary() {
    for (const compressed of [true, false]) {
      const { response } = await unary(stub(), 'UnaryCall', { ...largeRequest(), response_compressed: { value: compressed } });
      checkPayload(response.payload, 314159);
    }
  },

  async client_streaming() {
    const { call, done } = clientStream(stub(), 'StreamingInputCall');
    for (const size of sizes.request) await writeAsync(call, { payload: { body: zeros(size) } });
    call.end();
    const { response } = await done;
    check(response.aggregated_payload_size === 74922, `aggregated 74922 expected, got ${response.aggregated_payload_size}`);
  },

  async client_compressed_streaming() {
    const probe = clientStream(stub(), 'StreamingInputCall');
    probe.call.on('error', () => {});
    await writeAsync(probe.call, { expect_compressed: { value: true }, payload: { body: zeros(27182) } }).catch(() => {});
    probe.call.end();
    await expectError(probe.done, S.INVALID_ARGUMENT);

    const { call, done } = clientStream(stub(testing.TestService, true), 'StreamingInputCall');
    await writeAsync(call, { expect_compressed: { value: true }, payload: { body: zeros(27182) } });
    await writeAsync(call, { expect_compressed: { value: false }, payload: { body: zeros(45904) } }, NO_COMPRESS);
    call.end();
    const { response } = await done;
    check(response.aggregated_payload_size === 73086, `aggregated 73086 expected, got ${response.aggregated_payload_size}`);
  },

  async server_streaming() {
    const call = stub().StreamingOutputCall({ response_parameters: sizes.response.map((size) => ({ size })) }, deadlineIn(30000));
    const { messages } = await collect(call);
    check(messages.length === 4, `4 responses expected, got ${messages.length}`);
    messages.forEach((m, i) => checkPayload(m.payload, sizes.response[i]));
  },

  async server_streaming_thousands() {
    const count = 5000;
    const params = Array.from({ length: count }, () => ({ size: 64 }));
    const { messages } = await collect(stub().StreamingOutputCall({ response_parameters: params }, deadlineIn(60000)));
    check(messages.length === count, `${count} responses expected, got ${messages.length}`);
    messages.forEach((m) => checkPayload(m.payload, 64));
  },

  async server_compressed_streaming() {
    const params = [{ compressed: { value: true }, size: 31415 }, { compressed: { value: false }, size: 92653 }];
    const { messages } = await collect(stub().StreamingOutputCall({ response_parameters: params }, deadlineIn(30000)));
    check(messages.length === 2, `2 responses expected, got ${messages.length}`);
    checkPayload(messages[0].payload, 31415);
    checkPayload(messages[1].payload, 92653);
  },

  async ping_pong() {
    const call = stub().FullDuplexCall(deadlineIn(30000));
    const received = [];
    let next;
    call.on('data', (m) => { received.push(m); if (next) next(); });
    const finished = collect(call);
    for (let i = 0; i < 4; i++) {
      const arrived = new Promise((resolve) => { next = resolve; });
      await writeAsync(call, { response_parameters: [{ size: sizes.response[i] }], payload: { body: zeros(sizes.request[i]) } });
      if (received.length <= i) await arrived;
      check(received.length === i + 1, `exactly one response per request expected, got ${received.length} after ${i + 1}`);
      checkPayload(received[i].payload, sizes.response[i]);
    }
    call.end();
    await finished;
  },

  async half_duplex() {
    const call = stub().HalfDuplexCall(deadlineIn(30000));
    const finished = collect(call);
    for (let i = 0; i < 4; i++) {
      await writeAsync(call, { response_parameters: [{ size: sizes.response[i] }], payload: { body: zeros(sizes.request[i]) } });
    }
    call.end();
    const { messages } = await finished;
    check(messages.length === 4, `4 responses expected, got ${messages.length}`);
    messages.forEach((m, i) => checkPayload(m.payload, sizes.response[i]));
  },

  async empty_stream() {
    const call = stub().FullDuplexCall(deadlineIn(30000));
    const finished = collect(call);
    call.end();
    const { messages } = await finished;
    check(messages.length === 0, `no response expected, got ${messages.length}`);
  },

  async status_code_and_message() {
    const status = { code: 2, message: 'test status message' };
    await expectError(unary(stub(), 'UnaryCall', { response_status: status }), S.UNKNOWN, status.message);
    const call = stub().FullDuplexCall(deadlineIn(30000));
    const finished = collect(call);
    await writeAsync(call, { response_status: status });
    call.end();
    await expectError(finished, S.UNKNOWN, status.message);
  },

  async special_status_message() {
    const message = '\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n';
    await expectError(unary(stub(), 'UnaryCall', { response_status: { code: 2, message } }), S.UNKNOWN, message);
  },

  async vietnamese_status_message() {
    const message = "Không tìm thấy đảng viên 'Nguyễn Văn Ấn' (member not found) — Đảng ủy khối";
    await expectError(unary(stub(), 'UnaryCall', { response_status: { code: 5, message } }), S.NOT_FOUND, message);
  },

  async custom_metadata() {
    const initial = 'test_initial_metadata_value';
    const trailing = Buffer.from([0xab, 0xab, 0xab]);
    const md = () => {
      const m = new grpc.Metadata();
      m.set('x-grpc-test-echo-initial', initial);
      m.set('x-grpc-test-echo-trailing-bin', trailing);
      return m;
    };
    const verify = (headers, trailers) => {
      check(headers && headers.get('x-grpc-test-echo-initial')[0] === initial, 'initial metadata not echoed');
      const got = trailers.get('x-grpc-test-echo-trailing-bin')[0];
      check(Buffer.isBuffer(got) && got.equals(trailing), 'trailing binary metadata not echoed');
    };
    const { response, headers, status } = await unary(stub(), 'UnaryCall', largeRequest(), md());
    checkPayload(response.payload, 314159);
    verify(headers, status.metadata);

    const call = stub().FullDuplexCall(md(), deadlineIn(30000));
    const finished = collect(call);
    await writeAsync(call, { response_parameters: [{ size: 314159 }], payload: { body: zeros(271828) } });
    call.end();
    const result = await finished;
    check(result.messages.length === 1, 'one response expected');
    checkPayload(result.messages[0].payload, 314159);
    verify(result.headers, result.status.metadata);
  },

  async binary_metadata() {
    const bytes = Buffer.from([0x00, 0xff, 0x80, 0x0a, 0x0d, 0x3a, 0x7f, ...Buffer.from('Đảng vụ', 'utf8')]);
    const m = new grpc.Metadata();
    m.set('x-grpc-test-echo-trailing-bin', bytes);
    const { status } = await unary(stub(), 'EmptyCall', {}, m);
    const got = status.metadata.get('x-grpc-test-echo-trailing-bin')[0];
    check(Buffer.isBuffer(got) && got.equals(bytes), `binary trailer not echoed byte for byte: ${got && got.toString('hex')}`);
  },

  async unimplemented_method() {
    await expectError(unary(stub(), 'UnimplementedCall', {}), S.UNIMPLEMENTED);
  },

  async unimplemented_service() {
    await expectError(unary(stub(testing.UnimplementedService), 'UnimplementedCall', {}), S.UNIMPLEMENTED);
  },

  async cancel_after_begin() {
    const { call, done } = clientStream(stub(), 'StreamingInputCall');
    call.on('error', () => {});
    call.cancel();
    await expectError(done, S.CANCELLED);
  },

  async cancel_after_first_response() {
    const call = stub().FullDuplexCall(deadlineIn(30000));
    const finished = collect(call);
    const first = new Promise((resolve) => call.once('data', resolve));
    await writeAsync(call, { response_parameters: [{ size: 31415 }], payload: { body: zeros(27182) } });
    checkPayload((await first).payload, 31415);
    call.cancel();
    await expectError(finished, S.CANCELLED);
  },

  async timeout_on_sleeping_server() {
    // Connect first, so that the 1 ms deadline runs out at the server, not in name resolution.
    const client = stub();
    await unary(client, 'EmptyCall', {});
    const call = client.FullDuplexCall(deadlineIn(1));
    const finished = collect(call);
    await writeAsync(call, { payload: { body: zeros(27182) } }).catch(() => {});
    await expectError(finished, S.DEADLINE_EXCEEDED);
  },

  async deadline_exceeded_on_slow_method() {
    // The server sleeps 2 s before its only response; a 300 ms deadline must end the call.
    const call = stub().StreamingOutputCall({ response_parameters: [{ size: 1, interval_us: 2000000 }] }, deadlineIn(300));
    const started = Date.now();
    await expectError(collect(call), S.DEADLINE_EXCEEDED);
    check(Date.now() - started < 1500, `deadline not honoured promptly (${Date.now() - started} ms)`);
  },

  async oversize_request() {
    const request = { payload: { body: zeros(4 * MiB + 1) } };
    await expectError(unary(stub(), 'UnaryCall', request), S.RESOURCE_EXHAUSTED);
  },

  async oversize_response() {
    await expectError(unary(stub(), 'UnaryCall', { response_size: 4 * MiB + 1 }), S.RESOURCE_EXHAUSTED);
  },

  async health_check() {
    const health = grpc.loadPackageDefinition(protoLoader.loadSync(['grpc/health/v1/health.proto'], loadOptions)).grpc.health.v1;
    const client = new health.Health(target, grpc.credentials.createInsecure());
    const overall = await unary(client, 'Check', { service: '' });
    check(overall.response.status === 'SERVING', `overall SERVING expected, got ${overall.response.status}`);
    await expectError(unary(client, 'Check', { service: 'no.such.Service' }), S.NOT_FOUND);
  },

  async reflection_list() {
    for (const version of ['v1', 'v1alpha']) {
      const file = `grpc/reflection/${version}/reflection.proto`;
      const reflection = grpc.loadPackageDefinition(protoLoader.loadSync([file], loadOptions)).grpc.reflection[version];
      const client = new reflection.ServerReflection(target, grpc.credentials.createInsecure());
      const call = client.ServerReflectionInfo(deadlineIn(30000));
      const finished = collect(call);
      await writeAsync(call, { host: '', list_services: '*' });
      await writeAsync(call, { host: '', file_containing_symbol: 'grpc.testing.TestService' });
      call.end();
      const { messages } = await finished;
      check(messages.length === 2, `${version}: 2 reflection responses expected, got ${messages.length}`);
      const names = messages[0].list_services_response.service.map((s) => s.name);
      check(names.includes('grpc.testing.TestService'), `${version}: TestService not listed: ${names}`);
      const files = messages[1].file_descriptor_response.file_descriptor_proto.map((b) => b.toString('latin1'));
      check(files.some((f) => f.includes('grpc/testing/test.proto') && f.includes('TestService')), `${version}: test.proto not returned`);
    }
  },
};

async function main() {
  const run = cases[testCase];
  if (!run) {
    console.error(`unknown test case '${testCase}'; known: ${Object.keys(cases).join(', ')}`);
    process.exit(2);
  }
  try {
    await run();
    console.log(`PASS ${testCase}`);
    process.exit(0);
  } catch (e) {
    console.error(`FAIL ${testCase}: ${e.stack || e}`);
    process.exit(1);
  }
}

if (testCase === 'list') {
  console.log(Object.keys(cases).join('\n'));
} else {
  main();
}
