namespace DangVu.Interop.Tests;

/// <summary>Debian's python3-grpcio as the client of our server, one test per interop case.</summary>
[Collection(InteropServerCollection.Name)]
public sealed class GrpcioClientTests(InteropServerFixture server)
{
    // The interpreter that sees Debian's python3-grpcio; `python3` on PATH may be another one.
    private const string Python = Prerequisites.Python;

    [Theory]
    [MemberData(nameof(InteropCases.All), MemberType = typeof(InteropCases))]
    public async Task Grpcio_client_passes_interop_case(string testCase)
    {
        if (!Prerequisites.Grpcio())
        {
            return;
        }

        var run = await ExternalClient.RunAsync(
            Python,
            ExternalClient.PythonClientDirectory,
            "interop_client.py",
            "--server_host=127.0.0.1",
            $"--server_port={server.Port}",
            $"--descriptor_set={server.DescriptorSetPath}",
            $"--test_case={testCase}");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().Contain($"PASS {testCase}");
    }

    [Fact]
    public async Task Grpcio_client_knows_every_case_the_suite_runs()
    {
        if (!Prerequisites.Grpcio())
        {
            return;
        }

        var run = await ExternalClient.RunAsync(Python, ExternalClient.PythonClientDirectory, "interop_client.py", "--test_case=list");
        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().BeEquivalentTo(InteropCases.Standard.Concat(InteropCases.DangVu));
    }
}
