using DangVu.Core.Hosting;
using DangVu.Core.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace DangVu.Core.Tests.Hosting;

public sealed class HostSettingsTests : IDisposable
{
    private readonly PluginHome _home = new();

    [Fact]
    public async Task The_server_reads_its_settings_files_once_and_keeps_no_watcher_on_its_home_where_the_databases_are_written()
    {
        await File.WriteAllTextAsync(Path.Combine(_home.Home, "appsettings.json"), """{ "Federation": { "BatchSize": 700 } }""");

        await using var app = await DangVuApplication.BuildAsync(_home.Installation);

        var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        files.Should().NotBeEmpty();
        files.Should().OnlyContain(p => !p.Source.ReloadOnChange, "a reload watcher on the home wakes on every page SQLite writes under it");
        app.Configuration["Federation:BatchSize"].Should().Be("700");
    }

    public void Dispose() => _home.Dispose();
}
