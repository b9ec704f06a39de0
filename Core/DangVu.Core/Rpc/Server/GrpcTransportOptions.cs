namespace DangVu.Core.Rpc.Server;

/// <summary>Settings of the gRPC server (section <c>Grpc</c> of the configuration).</summary>
public sealed class GrpcTransportOptions
{
    /// <summary>Largest request message accepted, in bytes; larger ones end the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Largest response message sent, in bytes; larger ones end the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Compress responses with gzip when the client accepts it (handlers may still choose per call).</summary>
    public bool CompressResponses { get; set; }

    /// <summary>Serve grpc.reflection.v1 and v1alpha (for grpcurl, Postman).</summary>
    public bool EnableReflection { get; set; } = true;
}
