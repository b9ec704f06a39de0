using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DangVu.Host.Tests;

namespace DangVu.Federation.Tests;

/// <summary>One node of a test federation: its own installation, served with gRPC over mutual TLS.</summary>
internal sealed class FederationNode : IAsyncDisposable
{
    public FederationNode(string nodeId, string provider = "sqlite")
    {
        NodeId = nodeId;
        Installation = new TestInstallation(provider);
        Cli.Environment["DANGVU__Node__Id"] = nodeId;
        Cli.Environment["DANGVU__Federation__BackgroundSync"] = "false";
    }

    public string NodeId { get; }

    public TestInstallation Installation { get; }

    public DangVuCommand Cli => Installation.Cli;

    public string Keys => Path.Combine(Installation.Home, "data", "keys");

    public DangVuServer? Server { get; private set; }

    public string GrpcUrl { get; private set; } = "";

    public async Task<CommandResult> RunOkAsync(params string[] args)
    {
        var result = await Cli.RunAsync(args);
        result.ExitCode.Should().Be(0, $"dangvu {string.Join(' ', args)} should succeed:\n{result.Output}");
        return result;
    }

    /// <summary>Starts <c>dangvu serve</c> with gRPC on https (the node's TLS certificate) on free ports.</summary>
    public async Task<DangVuServer> ServeAsync(IDictionary<string, string>? environment = null, bool tls = true, string? grpcUrl = null)
    {
        var web = FreePort();
        GrpcUrl = grpcUrl ?? $"{(tls ? "https" : "http")}://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Installation.Home,
        };
        foreach (var arg in new[] { DangVuCommand.DangVuDll, "--home", Installation.Home, "serve", "--urls", $"http://127.0.0.1:{web}", "--grpc-urls", GrpcUrl })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("DANGVU_HOME");
        foreach (var (key, value) in Cli.Environment.Concat(environment ?? new Dictionary<string, string>()))
        {
            info.Environment[key] = value;
        }

        Server = new DangVuServer(Process.Start(info)!, new Uri($"http://127.0.0.1:{web}"), new Uri(GrpcUrl));
        await Server.WaitUntilReadyAsync();
        return Server;
    }

    public async Task StopAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
            Server = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Installation.DisposeAsync();
    }

    private static int FreePort() => DangVu.Testing.TestPorts.Free();
}
