using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DangVu.Interop.Tests;

/// <summary>grpc-js's interop server (tests/Interop/clients/node/interop_server.js) on a free port.</summary>
public sealed partial class GrpcJsServerFixture : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    public string? Problem { get; private set; }

    public async Task InitializeAsync()
    {
        if (Prerequisites.Skip)
        {
            return;
        }

        try
        {
            Prerequisites.Node();
        }
        catch (InvalidOperationException e)
        {
            Problem = e.Message;
            return;
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ExternalClient.NodeClientDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("interop_server.js");
        start.ArgumentList.Add("--port=0");
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var match = PortPattern().Match(line ?? "");
        if (!match.Success)
        {
            Problem = "grpc-js interop server did not start: " + line;
            return;
        }

        Port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    [GeneratedRegex(@"listening on port (\d+)")]
    private static partial Regex PortPattern();
}

[CollectionDefinition(Name)]
public sealed class GrpcJsServerCollection : ICollectionFixture<GrpcJsServerFixture>
{
    public const string Name = "grpc-js server";
}
