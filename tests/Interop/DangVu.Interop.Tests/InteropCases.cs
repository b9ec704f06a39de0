namespace DangVu.Interop.Tests;

/// <summary>The cases both clients run: gRPC's standard interop cases, then DangVu's own.</summary>
public static class InteropCases
{
    public static readonly string[] Standard =
    [
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "status_code_and_message", "special_status_message", "custom_metadata", "unimplemented_method",
        "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
        "client_compressed_unary", "server_compressed_unary", "client_compressed_streaming", "server_compressed_streaming",
    ];

    public static readonly string[] DangVu =
    [
        "large_unary_near_max", "server_streaming_thousands", "half_duplex", "vietnamese_status_message",
        "binary_metadata", "deadline_exceeded_on_slow_method", "oversize_request", "oversize_response",
        "health_check", "reflection_list",
    ];

    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Standard.Concat(DangVu))
            {
                data.Add(name);
            }

            return data;
        }
    }
}
