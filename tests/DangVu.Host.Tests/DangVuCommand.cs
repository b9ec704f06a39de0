using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DangVu.Host.Tests;

/// <summary>The result of one <c>dangvu</c> run.</summary>
internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}

/// <summary>
/// Runs the real <c>dangvu</c> program (the Host's build output) against one installation folder,
/// as an administrator would from a shell.
/// </summary>
internal sealed class DangVuCommand(string home)
{
    public static string DangVuDll { get; } =
        Path.Combine(TestPaths.RepoRoot, "Host", "DangVu.Host", "bin", TestPaths.Configuration, "net10.0", "dangvu.dll");

    public string Home { get; } = home;

    /// <summary>Environment for every run, such as DANGVU__Storage__Provider.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task<CommandResult> RunAsync(params string[] args)
    {
        using var process = Start(args, Environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a run without waiting for it, to watch its output as it comes (and kill it part-way).</summary>
    public Process Start(params string[] args) => Start(args, Environment);

    /// <summary>
    /// Starts <c>dangvu serve</c> on a free loopback port (and, if given, on <paramref name="alsoOn"/> too); gRPC on
    /// https with <paramref name="tlsGrpc"/> (the node's certificate, after <c>dangvu federation init</c>).
    /// </summary>
    public DangVuServer Serve(IDictionary<string, string>? extraEnvironment = null, IPAddress? alsoOn = null, bool tlsGrpc = false)
    {
        var port = FreePort();
        var grpcPort = FreePort();
        var grpcScheme = tlsGrpc ? "https" : "http";
        var environment = new Dictionary<string, string>(Environment);
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return new DangVuServer(
            Start(["serve", "--urls", $"http://127.0.0.1:{port}" + (alsoOn is null ? "" : $";http://{alsoOn}:{port}"), "--grpc-urls", $"{grpcScheme}://127.0.0.1:{grpcPort}"], environment),
            new Uri($"http://127.0.0.1:{port}"),
            new Uri($"{grpcScheme}://127.0.0.1:{grpcPort}"));
    }

    private Process Start(string[] args, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Home,
        };
        info.ArgumentList.Add(DangVuDll);
        info.ArgumentList.Add("--home");
        info.ArgumentList.Add(Home);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("DANGVU_HOME");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    private static int FreePort() => DangVu.Testing.TestPorts.Free();
}

/// <summary>A running <c>dangvu serve</c>; killed on dispose.</summary>
internal sealed class DangVuServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public DangVuServer(Process process, Uri address, Uri grpcAddress)
    {
        _process = process;
        Address = address;
        GrpcAddress = grpcAddress;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>The HTTP/2-only gRPC endpoint.</summary>
    public Uri GrpcAddress { get; }

    public HttpClient Http { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Waits until /health answers (200 or 503); fails with the server's output if it exits first.</summary>
    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"dangvu serve exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await Http.GetAsync("/health");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"dangvu serve did not answer within 60 s:\n{Log}");
    }

    /// <summary>Waits for the process to end by itself (a crash, a refusal to start).</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
