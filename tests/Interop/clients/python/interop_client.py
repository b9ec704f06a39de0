#!/usr/bin/python3
"""grpcio interop client: runs one case of gRPC's interop test descriptions (plus DangVu's own
cases) against a server; exits 0 when it passes, 1 with the reason when it fails.

    /usr/bin/python3 interop_client.py --server_port=50051 --test_case=large_unary \
        --descriptor_set=testing.fds

Run with /usr/bin/python3, the interpreter that sees Debian's python3-grpcio. Calls go through
grpc's generic multi-callables, with message classes built from the descriptor set.
"""
import argparse
import os
import queue
import sys
import time
import traceback

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_protos import Messages  # noqa: E402

MiB = 1024 * 1024
REQUEST_SIZES = [27182, 8, 1828, 45904]
RESPONSE_SIZES = [31415, 9, 2653, 58979]
ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
TIMEOUT = 30


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Client:
    def __init__(self, target, descriptor_set, tls=None, expect_caller=""):
        self.target = target
        self.m = Messages(descriptor_set)
        self.expect_caller = expect_caller
        if tls is None:
            self.channel = grpc.insecure_channel(target)
        else:
            # tls: (root PEM or None, client key PEM or None, client certificate PEM or None, host name)
            root, key, chain, host = tls
            credentials = grpc.ssl_channel_credentials(root_certificates=root, private_key=key, certificate_chain=chain)
            self.channel = grpc.secure_channel(target, credentials, options=(("grpc.ssl_target_name_override", host),))

    def msg(self, name, **fields):
        return self.m[name](**fields)

    def payload(self, size):
        return self.msg("grpc.testing.Payload", body=b"\0" * size)

    def _callable(self, kind, method, request, response, channel=None):
        factory = getattr(channel or self.channel, kind)
        return factory(method, request_serializer=self.m[request].SerializeToString,
                       response_deserializer=self.m[response].FromString)

    def test(self, kind, name, request, response, service="grpc.testing.TestService"):
        return self._callable(kind, f"/{service}/{name}", request, response)

    def empty_call(self, service="grpc.testing.TestService", name="EmptyCall"):
        return self.test("unary_unary", name, "grpc.testing.Empty", "grpc.testing.Empty", service)

    def unary_call(self):
        return self.test("unary_unary", "UnaryCall", "grpc.testing.SimpleRequest", "grpc.testing.SimpleResponse")

    def streaming_output(self):
        return self.test("unary_stream", "StreamingOutputCall", "grpc.testing.StreamingOutputCallRequest",
                         "grpc.testing.StreamingOutputCallResponse")

    def streaming_input(self):
        return self.test("stream_unary", "StreamingInputCall", "grpc.testing.StreamingInputCallRequest",
                         "grpc.testing.StreamingInputCallResponse")

    def duplex(self, name="FullDuplexCall"):
        return self.test("stream_stream", name, "grpc.testing.StreamingOutputCallRequest",
                         "grpc.testing.StreamingOutputCallResponse")

    def simple_request(self, response_size=0, payload_size=0, **fields):
        return self.msg("grpc.testing.SimpleRequest", response_size=response_size,
                        payload=self.payload(payload_size), **fields)

    def large_request(self, **fields):
        return self.simple_request(314159, 271828, **fields)

    def output_request(self, sizes, payload_size=0, **fields):
        params = [self.msg("grpc.testing.ResponseParameters", size=s) for s in sizes]
        return self.msg("grpc.testing.StreamingOutputCallRequest", response_parameters=params,
                        payload=self.payload(payload_size), **fields)

    def bool_value(self, value):
        return self.msg("grpc.testing.BoolValue", value=value)


def check_payload(payload, size):
    check(len(payload.body) == size, f"payload of {size} bytes expected, got {len(payload.body)}")
    check(payload.body == b"\0" * size, "payload expected to be zeros")


def expect_error(code, fn, details=None):
    try:
        fn()
    except grpc.RpcError as e:
        check(e.code() == code, f"status {code} expected, got {e.code()} ({e.details()!r})")
        if details is not None:
            check(e.details() == details, f"status message {details!r} expected, got {e.details()!r}")
        return e
    raise Failure(f"status {code} expected, but the call succeeded")


class Pipe:
    """A request iterator fed one message at a time (for ping-pong style calls)."""

    _END = object()

    def __init__(self):
        self._queue = queue.Queue()

    def send(self, message):
        self._queue.put(message)

    def close(self):
        self._queue.put(self._END)

    def __iter__(self):
        return self

    def __next__(self):
        item = self._queue.get()
        if item is self._END:
            raise StopIteration
        return item


def empty_unary(c):
    response = c.empty_call()(c.msg("grpc.testing.Empty"), timeout=TIMEOUT)
    check(response.ByteSize() == 0, "empty response expected")


def large_unary(c):
    check_payload(c.unary_call()(c.large_request(), timeout=TIMEOUT).payload, 314159)


def large_unary_near_max(c):
    size = 4 * MiB - 64
    check_payload(c.unary_call()(c.simple_request(size, size), timeout=TIMEOUT).payload, size)


def client_compressed_unary(c):
    call = c.unary_call()
    # Probe: the server must notice that a message expected compressed was not.
    expect_error(grpc.StatusCode.INVALID_ARGUMENT,
                 lambda: call(c.large_request(expect_compressed=c.bool_value(True)), timeout=TIMEOUT))
    response = call(c.large_request(expect_compressed=c.bool_value(True)), timeout=TIMEOUT,
                    compression=grpc.Compression.Gzip)
    check_payload(response.payload, 314159)
    response = call(c.large_request(expect_compressed=c.bool_value(False)), timeout=TIMEOUT)
    check_payload(response.payload, 314159)


def server_compressed_unary(c):
    for compressed in (True, False):
        response = c.unary_call()(c.large_request(response_compressed=c.bool_value(compressed)), timeout=TIMEOUT)
        check_payload(response.payload, 314159)


def client_streaming(c):
    requests = [c.msg("grpc.testing.StreamingInputCallRequest", payload=c.payload(s)) for s in REQUEST_SIZES]
    response = c.streaming_input()(iter(requests), timeout=TIMEOUT)
    check(response.aggregated_payload_size == 74922, f"aggregated 74922 expected, got {response.aggregated_payload_size}")


def client_compressed_streaming(c):
    def request(expect, size):
        return c.msg("grpc.testing.StreamingInputCallRequest", payload=c.payload(size),
                     expect_compressed=c.bool_value(expect))

    call = c.streaming_input()
    expect_error(grpc.StatusCode.INVALID_ARGUMENT, lambda: call(iter([request(True, 27182)]), timeout=TIMEOUT))
    # grpcio compresses per call, not per message: both messages go compressed, so both say so.
    response = call(iter([request(True, 27182), request(True, 45904)]), timeout=TIMEOUT,
                    compression=grpc.Compression.Gzip)
    check(response.aggregated_payload_size == 73086, f"aggregated 73086 expected, got {response.aggregated_payload_size}")


def server_streaming(c):
    responses = list(c.streaming_output()(c.output_request(RESPONSE_SIZES), timeout=TIMEOUT))
    check(len(responses) == 4, f"4 responses expected, got {len(responses)}")
    for response, size in zip(responses, RESPONSE_SIZES):
        check_payload(response.payload, size)


def server_streaming_thousands(c):
    count = 5000
    responses = list(c.streaming_output()(c.output_request([64] * count), timeout=60))
    check(len(responses) == count, f"{count} responses expected, got {len(responses)}")
    for response in responses:
        check_payload(response.payload, 64)


def server_compressed_streaming(c):
    params = [c.msg("grpc.testing.ResponseParameters", size=31415, compressed=c.bool_value(True)),
              c.msg("grpc.testing.ResponseParameters", size=92653, compressed=c.bool_value(False))]
    request = c.msg("grpc.testing.StreamingOutputCallRequest", response_parameters=params)
    responses = list(c.streaming_output()(request, timeout=TIMEOUT))
    check(len(responses) == 2, f"2 responses expected, got {len(responses)}")
    check_payload(responses[0].payload, 31415)
    check_payload(responses[1].payload, 92653)


def ping_pong(c):
    pipe = Pipe()
    responses = c.duplex()(pipe, timeout=TIMEOUT)
    for request_size, response_size in zip(REQUEST_SIZES, RESPONSE_SIZES):
        pipe.send(c.output_request([response_size], request_size))
        check_payload(next(responses).payload, response_size)
    pipe.close()
    check(not list(responses), "no response expected after the last request")


def half_duplex(c):
    requests = [c.output_request([r], q) for q, r in zip(REQUEST_SIZES, RESPONSE_SIZES)]
    responses = list(c.duplex("HalfDuplexCall")(iter(requests), timeout=TIMEOUT))
    check(len(responses) == 4, f"4 responses expected, got {len(responses)}")
    for response, size in zip(responses, RESPONSE_SIZES):
        check_payload(response.payload, size)


def empty_stream(c):
    responses = list(c.duplex()(iter([]), timeout=TIMEOUT))
    check(not responses, f"no response expected, got {len(responses)}")


def _status(c, code, message):
    return c.msg("grpc.testing.EchoStatus", code=code, message=message)


def status_code_and_message(c):
    message = "test status message"
    expect_error(grpc.StatusCode.UNKNOWN,
                 lambda: c.unary_call()(c.simple_request(response_status=_status(c, 2, message)), timeout=TIMEOUT),
                 message)
    request = c.output_request([], response_status=_status(c, 2, message))
    expect_error(grpc.StatusCode.UNKNOWN, lambda: list(c.duplex()(iter([request]), timeout=TIMEOUT)), message)


def special_status_message(c):
    message = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"
    expect_error(grpc.StatusCode.UNKNOWN,
                 lambda: c.unary_call()(c.simple_request(response_status=_status(c, 2, message)), timeout=TIMEOUT),
                 message)


def vietnamese_status_message(c):
    message = "Không tìm thấy đảng viên 'Nguyễn Văn Ấn' (member not found) — Đảng ủy khối"
    expect_error(grpc.StatusCode.NOT_FOUND,
                 lambda: c.unary_call()(c.simple_request(response_status=_status(c, 5, message)), timeout=TIMEOUT),
                 message)


def custom_metadata(c):
    initial = "test_initial_metadata_value"
    trailing = b"\xab\xab\xab"
    metadata = [(ECHO_INITIAL, initial), (ECHO_TRAILING, trailing)]

    def verify(headers, trailers):
        check(dict(headers).get(ECHO_INITIAL) == initial, f"initial metadata not echoed: {headers}")
        check(dict(trailers).get(ECHO_TRAILING) == trailing, f"trailing binary metadata not echoed: {trailers}")

    response, call = c.unary_call().with_call(c.large_request(), metadata=metadata, timeout=TIMEOUT)
    check_payload(response.payload, 314159)
    verify(call.initial_metadata(), call.trailing_metadata())

    responses = c.duplex()(iter([c.output_request([314159], 271828)]), metadata=metadata, timeout=TIMEOUT)
    received = list(responses)
    check(len(received) == 1, "one response expected")
    check_payload(received[0].payload, 314159)
    verify(responses.initial_metadata(), responses.trailing_metadata())


def binary_metadata(c):
    value = bytes([0x00, 0xFF, 0x80, 0x0A, 0x0D, 0x3A, 0x7F]) + "Đảng vụ".encode()
    _, call = c.empty_call().with_call(c.msg("grpc.testing.Empty"), metadata=[(ECHO_TRAILING, value)], timeout=TIMEOUT)
    got = dict(call.trailing_metadata()).get(ECHO_TRAILING)
    check(got == value, f"binary trailer not echoed byte for byte: {got!r}")


def unimplemented_method(c):
    expect_error(grpc.StatusCode.UNIMPLEMENTED,
                 lambda: c.empty_call(name="UnimplementedCall")(c.msg("grpc.testing.Empty"), timeout=TIMEOUT))


def unimplemented_service(c):
    call = c.empty_call("grpc.testing.UnimplementedService", "UnimplementedCall")
    expect_error(grpc.StatusCode.UNIMPLEMENTED, lambda: call(c.msg("grpc.testing.Empty"), timeout=TIMEOUT))


def cancel_after_begin(c):
    pipe = Pipe()
    future = c.streaming_input().future(pipe, timeout=TIMEOUT)
    future.cancel()
    check(future.cancelled(), "call not cancelled")
    check(future.code() == grpc.StatusCode.CANCELLED, f"CANCELLED expected, got {future.code()}")
    pipe.close()


def cancel_after_first_response(c):
    pipe = Pipe()
    responses = c.duplex()(pipe, timeout=TIMEOUT)
    pipe.send(c.output_request([31415], 27182))
    check_payload(next(responses).payload, 31415)
    responses.cancel()
    expect_error(grpc.StatusCode.CANCELLED, lambda: next(responses))
    pipe.close()


def timeout_on_sleeping_server(c):
    c.empty_call()(c.msg("grpc.testing.Empty"), timeout=TIMEOUT)  # connected before the 1 ms starts
    pipe = Pipe()
    responses = c.duplex()(pipe, timeout=0.001)
    pipe.send(c.msg("grpc.testing.StreamingOutputCallRequest", payload=c.payload(27182)))
    expect_error(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: next(responses))
    pipe.close()


def deadline_exceeded_on_slow_method(c):
    # The server sleeps 2 s before its only response; a 300 ms deadline must end the call.
    params = [c.msg("grpc.testing.ResponseParameters", size=1, interval_us=2_000_000)]
    request = c.msg("grpc.testing.StreamingOutputCallRequest", response_parameters=params)
    started = time.monotonic()
    expect_error(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: list(c.streaming_output()(request, timeout=0.3)))
    check(time.monotonic() - started < 1.5, "deadline not honoured promptly")


def oversize_request(c):
    expect_error(grpc.StatusCode.RESOURCE_EXHAUSTED,
                 lambda: c.unary_call()(c.simple_request(0, 4 * MiB + 1), timeout=TIMEOUT))


def oversize_response(c):
    expect_error(grpc.StatusCode.RESOURCE_EXHAUSTED,
                 lambda: c.unary_call()(c.simple_request(4 * MiB + 1), timeout=TIMEOUT))


def whoami(c):
    """The caller identity the server sees: the client certificate's CN under mutual TLS, else none."""
    _, call = c.empty_call().with_call(c.msg("grpc.testing.Empty"), metadata=(("x-dangvu-whoami", "1"),), timeout=TIMEOUT)
    got = dict(call.trailing_metadata() or ()).get("x-dangvu-caller", "")
    check(got == c.expect_caller, f"caller '{c.expect_caller}' expected, got '{got}'")


def health_check(c):
    call = c._callable("unary_unary", "/grpc.health.v1.Health/Check",
                       "grpc.health.v1.HealthCheckRequest", "grpc.health.v1.HealthCheckResponse")
    response = call(c.msg("grpc.health.v1.HealthCheckRequest", service=""), timeout=TIMEOUT)
    check(response.status == 1, f"overall SERVING expected, got {response.status}")
    expect_error(grpc.StatusCode.NOT_FOUND,
                 lambda: call(c.msg("grpc.health.v1.HealthCheckRequest", service="no.such.Service"), timeout=TIMEOUT))


def reflection_list(c):
    for version in ("v1", "v1alpha"):
        pkg = f"grpc.reflection.{version}"
        call = c._callable("stream_stream", f"/{pkg}.ServerReflection/ServerReflectionInfo",
                           f"{pkg}.ServerReflectionRequest", f"{pkg}.ServerReflectionResponse")
        requests = [c.msg(f"{pkg}.ServerReflectionRequest", list_services="*"),
                    c.msg(f"{pkg}.ServerReflectionRequest", file_containing_symbol="grpc.testing.TestService")]
        responses = list(call(iter(requests), timeout=TIMEOUT))
        check(len(responses) == 2, f"{version}: 2 reflection responses expected, got {len(responses)}")
        names = [s.name for s in responses[0].list_services_response.service]
        check("grpc.testing.TestService" in names, f"{version}: TestService not listed: {names}")
        files = responses[1].file_descriptor_response.file_descriptor_proto
        check(any(b"grpc/testing/test.proto" in f and b"TestService" in f for f in files), f"{version}: test.proto not returned")


CASES = {f.__name__: f for f in [
    empty_unary, large_unary, large_unary_near_max, client_compressed_unary, server_compressed_unary,
    client_streaming, client_compressed_streaming, server_streaming, server_streaming_thousands,
    server_compressed_streaming, ping_pong, half_duplex, empty_stream, status_code_and_message,
    special_status_message, vietnamese_status_message, custom_metadata, binary_metadata,
    unimplemented_method, unimplemented_service, cancel_after_begin, cancel_after_first_response,
    timeout_on_sleeping_server, deadline_exceeded_on_slow_method, oversize_request, oversize_response,
    whoami, health_check, reflection_list,
]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int)
    parser.add_argument("--test_case", required=True)
    parser.add_argument("--descriptor_set", help="FileDescriptorSet of grpc/testing/test.proto with imports")
    parser.add_argument("--use_tls", default="false")
    parser.add_argument("--ca_file")
    parser.add_argument("--cert_file")
    parser.add_argument("--key_file")
    parser.add_argument("--server_host_override", default="localhost")
    parser.add_argument("--expect_caller", default="")
    args = parser.parse_args()
    if args.test_case == "list":
        print("\n".join(CASES))
        return 0
    case = CASES.get(args.test_case)
    if case is None:
        print(f"unknown test case '{args.test_case}'; known: {', '.join(CASES)}", file=sys.stderr)
        return 2
    def read(path):
        if not path:
            return None
        with open(path, "rb") as f:
            return f.read()

    tls = None
    if args.use_tls == "true":
        tls = (read(args.ca_file), read(args.key_file), read(args.cert_file), args.server_host_override)
    client = Client(f"{args.server_host}:{args.server_port}", args.descriptor_set, tls, args.expect_caller)
    try:
        case(client)
    except Exception:  # noqa: BLE001 - every failure is reported with its reason
        print(f"FAIL {args.test_case}: {traceback.format_exc()}", file=sys.stderr)
        return 1
    finally:
        client.channel.close()
    print(f"PASS {args.test_case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
