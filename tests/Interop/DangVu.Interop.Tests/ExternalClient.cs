using System.Diagnostics;

namespace DangVu.Interop.Tests;

/// <summary>Runs one interop case with a third-party client process and reports how it ended.</summary>
internal static class ExternalClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static string RepositoryRoot { get; } = FindRoot();

    public static string NodeClientDirectory => Path.Combine(RepositoryRoot, "tests", "Interop", "clients", "node");

    public static string PythonClientDirectory => Path.Combine(RepositoryRoot, "tests", "Interop", "clients", "python");

    public static async Task<ClientRun> RunAsync(string fileName, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ClientRun(-1, await stdout, $"timed out after {Timeout.TotalSeconds} s\n{await stderr}");
        }

        return new ClientRun(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DangVu.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DangVu.slnx not found above " + AppContext.BaseDirectory);
    }
}

internal sealed record ClientRun(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n{StandardOutput}\n{StandardError}";
}
