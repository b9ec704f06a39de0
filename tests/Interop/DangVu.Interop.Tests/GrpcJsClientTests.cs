namespace DangVu.Interop.Tests;

/// <summary>@grpc/grpc-js (npm) as the client of our server, one test per interop case.</summary>
[Collection(InteropServerCollection.Name)]
public sealed class GrpcJsClientTests(InteropServerFixture server)
{
    [Theory]
    [MemberData(nameof(InteropCases.All), MemberType = typeof(InteropCases))]
    public async Task Grpc_js_client_passes_interop_case(string testCase)
    {
        if (!Prerequisites.Node())
        {
            return;
        }

        File.Exists(Path.Combine(ExternalClient.NodeClientDirectory, "node_modules", "@grpc", "grpc-js", "package.json"))
            .Should().BeTrue("grpc-js is installed by build/setup/interop.sh");

        var run = await ExternalClient.RunAsync(
            "node",
            ExternalClient.NodeClientDirectory,
            "interop_client.js",
            "--server_host=127.0.0.1",
            $"--server_port={server.Port}",
            $"--test_case={testCase}");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().Contain($"PASS {testCase}");
    }

    [Fact]
    public async Task Grpc_js_client_knows_every_case_the_suite_runs()
    {
        if (!Prerequisites.Node())
        {
            return;
        }

        var run = await ExternalClient.RunAsync("node", ExternalClient.NodeClientDirectory, "interop_client.js", "--test_case=list");
        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().BeEquivalentTo(InteropCases.Standard.Concat(InteropCases.DangVu));
    }
}
