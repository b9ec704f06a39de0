#!/usr/bin/env node
// grpc-js implementation of gRPC's interop TestService: the reference that our clients and
// the node/python interop clients are checked against, and the grpc-js target of the benchmark.
//   node interop_server.js --port=50051
'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const args = require('./args')(process.argv.slice(2));

const protoDir = args.proto_dir || path.join(__dirname, '../../protos');
const loadOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protoDir] };
const testing = grpc.loadPackageDefinition(protoLoader.loadSync(['grpc/testing/test.proto'], loadOptions)).grpc.testing;

const ECHO_INITIAL = 'x-grpc-test-echo-initial';
const ECHO_TRAILING = 'x-grpc-test-echo-trailing-bin';

function payload(size) {
  return { type: 'COMPRESSABLE', body: Buffer.alloc(size) };
}

function echoInitial(call) {
  const values = call.metadata.get(ECHO_INITIAL);
  const headers = new grpc.Metadata();
  if (values.length) headers.set(ECHO_INITIAL, values[0]);
  call.sendMetadata(headers);
}

function echoTrailing(call) {
  const trailers = new grpc.Metadata();
  const values = call.metadata.get(ECHO_TRAILING);
  if (values.length) trailers.set(ECHO_TRAILING, values[0]);
  return trailers;
}

// grpc-js does not tell a handler whether one message was compressed; the call's
// grpc-encoding header is the closest it exposes.
function compressionMismatch(call, expect) {
  if (!expect || !expect.value) return false;
  const encoding = call.metadata.get('grpc-encoding')[0];
  return !encoding || encoding === 'identity';
}

function statusError(call, status) {
  return { code: status.code, details: status.message, metadata: echoTrailing(call) };
}

function unaryCall(call, callback) {
  echoInitial(call);
  const req = call.request;
  if (compressionMismatch(call, req.expect_compressed)) {
    callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Expected compressed request', metadata: echoTrailing(call) });
    return;
  }
  if (req.response_status && req.response_status.code) {
    callback(statusError(call, req.response_status));
    return;
  }
  callback(null, { payload: payload(req.response_size) }, echoTrailing(call));
}

function sleep(us) {
  return new Promise((resolve) => setTimeout(resolve, us / 1000));
}

async function streamResponses(call, request) {
  for (const p of request.response_parameters) {
    if (p.interval_us) await sleep(p.interval_us);
    if (call.cancelled) return;
    call.write({ payload: payload(p.size) });
  }
}

const handlers = {
  EmptyCall(call, callback) {
    echoInitial(call);
    callback(null, {}, echoTrailing(call));
  },
  UnaryCall: unaryCall,
  CacheableUnaryCall: unaryCall,
  async StreamingOutputCall(call) {
    echoInitial(call);
    await streamResponses(call, call.request);
    if (call.request.response_status && call.request.response_status.code) {
      call.emit('error', statusError(call, call.request.response_status));
      return;
    }
    call.end(echoTrailing(call));
  },
  StreamingInputCall(call, callback) {
    let total = 0;
    let failed = false;
    call.on('data', (req) => {
      if (!failed && compressionMismatch(call, req.expect_compressed)) {
        failed = true;
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Expected compressed request' });
      }
      total += req.payload ? req.payload.body.length : 0;
    });
    call.on('end', () => { if (!failed) callback(null, { aggregated_payload_size: total }); });
    call.on('error', () => {});
  },
  FullDuplexCall(call) {
    echoInitial(call);
    let chain = Promise.resolve();
    let ended = false;
    call.on('data', (req) => {
      chain = chain.then(async () => {
        if (ended) return;
        if (req.response_status && req.response_status.code) {
          ended = true;
          call.emit('error', statusError(call, req.response_status));
          return;
        }
        await streamResponses(call, req);
      });
    });
    call.on('end', () => chain.then(() => { if (!ended) call.end(echoTrailing(call)); }));
    call.on('error', () => {});
  },
  HalfDuplexCall(call) {
    echoInitial(call);
    const requests = [];
    call.on('data', (req) => requests.push(req));
    call.on('end', async () => {
      for (const req of requests) await streamResponses(call, req);
      call.end(echoTrailing(call));
    });
    call.on('error', () => {});
  },
  UnimplementedCall(call, callback) {
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'UnimplementedCall' });
  },
};

const server = new grpc.Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
server.addService(testing.TestService.service, handlers);
server.bindAsync(`${args.host || '127.0.0.1'}:${args.port || 0}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`grpc-js interop server listening on port ${port}`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
