using DangVu.Interop.TestServer;

namespace DangVu.Interop.Tests;

/// <summary>
/// Our interop test server on a free loopback port for the whole collection, plus the
/// descriptor set that the python client builds its messages from.
/// </summary>
public sealed class InteropServerFixture : IAsyncLifetime
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("dangvu-interop-").FullName;
    private RunningInteropServer? _server;

    public int Port => _server?.Port ?? throw new InvalidOperationException("The interop server has not started.");

    public string DescriptorSetPath => Path.Combine(_workDirectory, "testing.fds");

    public async Task InitializeAsync()
    {
        DescriptorSet.Write(DescriptorSetPath);
        _server = await InteropServer.StartAsync(port: 0, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_workDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class InteropServerCollection : ICollectionFixture<InteropServerFixture>
{
    public const string Name = "interop server";
}
