"""Protobuf message classes for the interop tests, built at run time (no generated code, no pip).

grpc.testing messages come from a FileDescriptorSet (written by DangVu.Interop.TestServer
--descriptor-set-out, or by protoc --include_imports). The few health and reflection messages
the client needs are declared here, field numbers as in grpc/health/v1/health.proto and
grpc/reflection/v1/reflection.proto (v1alpha has the same messages).
"""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto


def _message_class(pool, name):
    descriptor = pool.FindMessageTypeByName(name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


class Messages:
    """Message classes by full name: messages['grpc.testing.SimpleRequest']."""

    def __init__(self, descriptor_set_path):
        self._pool = descriptor_pool.DescriptorPool()
        with open(descriptor_set_path, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file
        for file in files:
            self._pool.Add(file)
        for file in _standard_services():
            self._pool.Add(file)
        self._classes = {}

    def __getitem__(self, name):
        if name not in self._classes:
            self._classes[name] = _message_class(self._pool, name)
        return self._classes[name]


def _field(message, name, number, kind, type_name=None, repeated=False):
    field = message.field.add(name=name, number=number, type=kind,
                              label=_F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL)
    if type_name:
        field.type_name = type_name


def _standard_services():
    health = descriptor_pb2.FileDescriptorProto(name="dangvu_interop/health.proto", package="grpc.health.v1", syntax="proto3")
    request = health.message_type.add(name="HealthCheckRequest")
    _field(request, "service", 1, _F.TYPE_STRING)
    response = health.message_type.add(name="HealthCheckResponse")
    _field(response, "status", 1, _F.TYPE_ENUM, ".grpc.health.v1.HealthCheckResponse.ServingStatus")
    status = response.enum_type.add(name="ServingStatus")
    for i, name in enumerate(["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"]):
        status.value.add(name=name, number=i)
    files = [health]

    for version in ("v1", "v1alpha"):
        pkg = f"grpc.reflection.{version}"
        f = descriptor_pb2.FileDescriptorProto(name=f"dangvu_interop/reflection_{version}.proto", package=pkg, syntax="proto3")
        req = f.message_type.add(name="ServerReflectionRequest")
        _field(req, "host", 1, _F.TYPE_STRING)
        _field(req, "file_by_filename", 3, _F.TYPE_STRING)
        _field(req, "file_containing_symbol", 4, _F.TYPE_STRING)
        _field(req, "list_services", 7, _F.TYPE_STRING)
        res = f.message_type.add(name="ServerReflectionResponse")
        _field(res, "valid_host", 1, _F.TYPE_STRING)
        _field(res, "file_descriptor_response", 4, _F.TYPE_MESSAGE, f".{pkg}.FileDescriptorResponse")
        _field(res, "list_services_response", 6, _F.TYPE_MESSAGE, f".{pkg}.ListServiceResponse")
        _field(res, "error_response", 7, _F.TYPE_MESSAGE, f".{pkg}.ErrorResponse")
        fdr = f.message_type.add(name="FileDescriptorResponse")
        _field(fdr, "file_descriptor_proto", 1, _F.TYPE_BYTES, repeated=True)
        lsr = f.message_type.add(name="ListServiceResponse")
        _field(lsr, "service", 1, _F.TYPE_MESSAGE, f".{pkg}.ServiceResponse", repeated=True)
        sr = f.message_type.add(name="ServiceResponse")
        _field(sr, "name", 1, _F.TYPE_STRING)
        err = f.message_type.add(name="ErrorResponse")
        _field(err, "error_code", 1, _F.TYPE_INT32)
        _field(err, "error_message", 2, _F.TYPE_STRING)
        files.append(f)
    return files
