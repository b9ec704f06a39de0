using DangVu.Core.Abstractions.Rpc;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace DangVu.Core.Rpc.Server;

/// <summary><c>grpc.reflection.v1.ServerReflection</c>: lists the bound services and returns their descriptors.</summary>
internal sealed class ReflectionServiceV1(GrpcServiceRegistry registry)
{
    public async Task ServerReflectionInfo(
        IAsyncStreamReader<V1.ServerReflectionRequest> requests,
        IServerStreamWriter<V1.ServerReflectionResponse> responses,
        ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(Answer(requests.Current), context.CancellationToken).ConfigureAwait(false);
        }
    }

    public V1.ServerReflectionResponse Answer(V1.ServerReflectionRequest request)
    {
        var response = new V1.ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        var index = new SymbolIndex(registry);
        switch (request.MessageRequestCase)
        {
            case V1.ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                response.ListServicesResponse = new V1.ListServiceResponse();
                foreach (var name in registry.Services.Select(s => s.Descriptor.FullName).Order(StringComparer.Ordinal))
                {
                    response.ListServicesResponse.Service.Add(new V1.ServiceResponse { Name = name });
                }

                break;
            case V1.ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                Files(response, index.FileByName(request.FileByFilename), request.FileByFilename);
                break;
            case V1.ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                Files(response, index.FileBySymbol(request.FileContainingSymbol), request.FileContainingSymbol);
                break;
            case V1.ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.FileBySymbol(request.AllExtensionNumbersOfType) is null)
                {
                    NotFound(response, request.AllExtensionNumbersOfType);
                }
                else
                {
                    response.AllExtensionNumbersResponse = new V1.ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                }

                break;
            case V1.ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                NotFound(response, request.FileContainingExtension.ContainingType);
                break;
            default:
                response.ErrorResponse = new V1.ErrorResponse
                {
                    ErrorCode = (int)StatusCode.Unimplemented,
                    ErrorMessage = "Yêu cầu phản chiếu không được hỗ trợ (reflection request not supported)",
                };
                break;
        }

        return response;
    }

    private static void Files(V1.ServerReflectionResponse response, FileDescriptor? file, string asked)
    {
        if (file is null)
        {
            NotFound(response, asked);
            return;
        }

        // The file and everything it imports, so that a tool needs no second round trip.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<FileDescriptor>();
        stack.Push(file);
        response.FileDescriptorResponse = new V1.FileDescriptorResponse();
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (!seen.Add(next.Name))
            {
                continue;
            }

            response.FileDescriptorResponse.FileDescriptorProto.Add(next.SerializedData);
            foreach (var dependency in next.Dependencies)
            {
                stack.Push(dependency);
            }
        }
    }

    private static void NotFound(V1.ServerReflectionResponse response, string asked) =>
        response.ErrorResponse = new V1.ErrorResponse
        {
            ErrorCode = (int)StatusCode.NotFound,
            ErrorMessage = $"Không tìm thấy '{asked}' (not found: '{asked}')",
        };

    /// <summary>Files and symbols of every bound service, with their imports.</summary>
    private sealed class SymbolIndex
    {
        private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
        private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);

        public SymbolIndex(GrpcServiceRegistry registry)
        {
            foreach (var service in registry.Services)
            {
                AddFile(service.Descriptor.File);
            }
        }

        public FileDescriptor? FileByName(string name) => _files.GetValueOrDefault(name);

        public FileDescriptor? FileBySymbol(string symbol) => _symbols.GetValueOrDefault(symbol.TrimStart('.'));

        private void AddFile(FileDescriptor file)
        {
            if (!_files.TryAdd(file.Name, file))
            {
                return;
            }

            foreach (var service in file.Services)
            {
                _symbols[service.FullName] = file;
                foreach (var method in service.Methods)
                {
                    _symbols[method.FullName] = file;
                }
            }

            foreach (var message in file.MessageTypes)
            {
                AddMessage(message, file);
            }

            foreach (var e in file.EnumTypes)
            {
                _symbols[e.FullName] = file;
            }

            foreach (var dependency in file.Dependencies)
            {
                AddFile(dependency);
            }
        }

        private void AddMessage(MessageDescriptor message, FileDescriptor file)
        {
            _symbols[message.FullName] = file;
            foreach (var nested in message.NestedTypes)
            {
                AddMessage(nested, file);
            }

            foreach (var e in message.EnumTypes)
            {
                _symbols[e.FullName] = file;
            }
        }
    }
}

/// <summary><c>grpc.reflection.v1alpha.ServerReflection</c>: the same messages on the wire as v1, answered by v1.</summary>
internal sealed class ReflectionServiceV1Alpha(ReflectionServiceV1 v1)
{
    public async Task ServerReflectionInfo(
        IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requests,
        IServerStreamWriter<V1Alpha.ServerReflectionResponse> responses,
        ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = V1.ServerReflectionRequest.Parser.ParseFrom(requests.Current.ToByteString());
            var answer = V1Alpha.ServerReflectionResponse.Parser.ParseFrom(v1.Answer(request).ToByteString());
            await responses.WriteAsync(answer, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
