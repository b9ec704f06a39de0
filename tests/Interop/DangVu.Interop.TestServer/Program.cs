using System.Globalization;
using DangVu.Interop.TestServer;

// build/interop-server.sh --port N [--any-address]   (port 0: a free one, printed)
// build/interop-server.sh --descriptor-set-out FILE   (writes grpc/testing's FileDescriptorSet and exits)
var port = 50051;
var anyAddress = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case var a when a.StartsWith("--port=", StringComparison.Ordinal):
            port = int.Parse(a["--port=".Length..], CultureInfo.InvariantCulture);
            break;
        case "--any-address":
            anyAddress = true;
            break;
        case "--descriptor-set-out" when i + 1 < args.Length:
            DescriptorSet.Write(args[++i]);
            return 0;
        default:
            Console.Error.WriteLine("usage: interop-server --port N [--any-address] | --descriptor-set-out FILE");
            return 2;
    }
}

await using var server = await InteropServer.StartAsync(port, CancellationToken.None, anyAddress);
Console.WriteLine($"DangVu interop server listening on 127.0.0.1:{server.Port} (h2c)");

// Ctrl+C and SIGTERM stop the host (its console lifetime); then the process ends.
await server.App.WaitForShutdownAsync();
return 0;
