using DangVu.Contracts.Core.V1;
using DangVu.Core.Hosting;
using DangVu.Core.Modules;
using DangVu.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Modules.Members.Tests;

/// <summary>The module as a plugin: its build output, installed in a plugins folder and loaded by the host's loader.</summary>
public sealed class PluginLoadTests : IDisposable
{
    private readonly string _home = TestPaths.NewTempDirectory("home");

    [Fact]
    public void The_built_plugin_loads_in_its_own_context_and_declares_its_storage()
    {
        var installation = DangVuInstallation.Open(_home);
        var output = Path.Combine(TestPaths.RepoRoot, "Modules", "Members", "bin", TestPaths.Configuration, "net10.0");
        TestPaths.CopyDirectory(output, Path.Combine(installation.PluginsDirectory, "members"));

        var entries = new ModuleLoader(installation).Load();

        var members = entries.Should().ContainSingle().Which;
        members.State.Should().Be(ModuleState.Loaded, members.Reason);
        members.Context!.NameVi.Should().Be("Đảng viên");
        var services = new ServiceCollection();
        var registry = ModuleRegistrar.Register(services, entries, installation.Configuration);
        services.Select(s => s.ImplementationInstance).OfType<ModuleStorage>().Should().ContainSingle()
            .Which.ContextType.FullName.Should().Be("DangVu.Modules.Members.Storage.MembersDbContext");

        // Its command-line verbs, each with a handler the container can make.
        registry.Commands.Select(c => (c.ModuleId, c.Command.Name)).Should().Equal(("members", "import"), ("members", "export"));
        services.Select(s => s.ServiceType).Should().Contain(registry.Commands.Select(c => c.Handler));
    }

    [Fact]
    public void No_shared_assembly_is_copied_into_the_plugin_folder_only_the_module_and_its_private_PDF_library()
    {
        var output = Path.Combine(TestPaths.RepoRoot, "Modules", "Members", "bin", TestPaths.Configuration, "net10.0");
        // Only the module and its private dependencies (PdfPig for PDF, the Open XML SDK for XLSX); never Core, Contracts, EF or protobuf.
        Directory.GetFiles(output, "*.dll").Select(Path.GetFileName)
            .Where(f => !f!.StartsWith("UglyToad.PdfPig", StringComparison.Ordinal))
            .Should().BeEquivalentTo("DangVu.Modules.Members.dll", "DocumentFormat.OpenXml.dll", "DocumentFormat.OpenXml.Framework.dll");
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
