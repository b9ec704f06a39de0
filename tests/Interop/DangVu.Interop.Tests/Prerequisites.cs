using System.Diagnostics;

namespace DangVu.Interop.Tests;

/// <summary>
/// The third-party implementations these tests need (installed by build/setup/interop.sh). Missing
/// ones fail the tests, unless DANGVU_TEST_SKIP_INTEROP=1 says this machine runs without them.
/// </summary>
internal static class Prerequisites
{
    public const string Python = "/usr/bin/python3";

    public static bool Skip => Environment.GetEnvironmentVariable("DANGVU_TEST_SKIP_INTEROP") == "1";

    private static readonly Lazy<string?> NodeProblem = new(() =>
        !CanRun("node", "--version") ? "node is not installed (run build/setup/interop.sh)"
        : !File.Exists(Path.Combine(ExternalClient.NodeClientDirectory, "node_modules", "@grpc", "grpc-js", "package.json"))
            ? "@grpc/grpc-js is not installed in tests/Interop/clients/node (run build/setup/interop.sh)"
            : null);

    private static readonly Lazy<string?> GrpcioProblem = new(() =>
        CanRun(Python, "-c", "import grpc, google.protobuf") ? null
            : "Debian's python3-grpcio / python3-protobuf are not installed for /usr/bin/python3 (run build/setup/interop.sh)");

    /// <summary>False when the test should return at once (skipping allowed); throws when node or grpc-js is missing.</summary>
    public static bool Node() => Require(NodeProblem.Value);

    public static bool Grpcio() => Require(GrpcioProblem.Value);

    private static bool Require(string? problem)
    {
        if (Skip)
        {
            return false;
        }

        if (problem is not null)
        {
            throw new InvalidOperationException(problem + "; set DANGVU_TEST_SKIP_INTEROP=1 to skip the interop tests on purpose.");
        }

        return true;
    }

    private static bool CanRun(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            process.WaitForExit(30_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
