#!/usr/bin/python3
"""grpcio target of the gRPC benchmark: grpc.testing.TestService's UnaryCall and
StreamingOutputCall, with messages built at run time from a descriptor set.

    /usr/bin/python3 bench_server.py --port 50051 --descriptor_set testing.fds
"""
import argparse
import os
import sys
from concurrent import futures

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../Interop/clients/python"))
from interop_protos import Messages  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--descriptor_set", required=True)
    parser.add_argument("--workers", type=int, default=32)
    args = parser.parse_args()
    m = Messages(args.descriptor_set)
    Payload = m["grpc.testing.Payload"]
    SimpleResponse = m["grpc.testing.SimpleResponse"]
    StreamResponse = m["grpc.testing.StreamingOutputCallResponse"]

    def unary_call(request, context):
        return SimpleResponse(payload=Payload(body=b"\0" * request.response_size))

    def streaming_output_call(request, context):
        for p in request.response_parameters:
            yield StreamResponse(payload=Payload(body=b"\0" * p.size))

    handler = grpc.method_handlers_generic_handler("grpc.testing.TestService", {
        "UnaryCall": grpc.unary_unary_rpc_method_handler(
            unary_call, m["grpc.testing.SimpleRequest"].FromString, SimpleResponse.SerializeToString),
        "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(
            streaming_output_call, m["grpc.testing.StreamingOutputCallRequest"].FromString,
            StreamResponse.SerializeToString),
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers))
    server.add_generic_rpc_handlers((handler,))
    server.add_insecure_port(f"127.0.0.1:{args.port}")
    server.start()
    print(f"grpcio bench server listening on port {args.port}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
