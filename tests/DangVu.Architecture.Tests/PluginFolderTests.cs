using DangVu.Core.Modules;

namespace DangVu.Architecture.Tests;

/// <summary>
/// A shared assembly copied into a plugin folder would make "the same" type two types; module
/// projects must reference Abstractions and Contracts with Private="false" ExcludeAssets="runtime".
/// </summary>
public sealed class PluginFolderTests
{
    [Fact]
    public void No_module_build_output_carries_a_shared_assembly()
    {
        var modules = BoundaryRules.Projects(TestPaths.RepoRoot).Where(p => p.IsModule).ToList();
        modules.Should().NotBeEmpty();

        var offending = modules
            .Select(m => Path.GetDirectoryName(BoundaryRules.BuiltAssembly(m) ?? "")!)
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.dll"))
            .Where(dll => SharedAssemblies.IsShared(Path.GetFileNameWithoutExtension(dll)))
            .Select(dll => Path.GetRelativePath(TestPaths.RepoRoot, dll))
            .ToList();

        offending.Should().BeEmpty("the host provides shared assemblies; a plugin's own copy would split their types");
    }

    [Theory]
    [InlineData("DangVu.Core.Abstractions", true)]
    [InlineData("DangVu.Contracts", true)]
    [InlineData("Google.Protobuf", true)]
    [InlineData("Microsoft.EntityFrameworkCore.Relational", true)]
    [InlineData("Microsoft.Extensions.Logging", true)]
    [InlineData("DangVu.Fixtures.Greeting", false)]
    [InlineData("ClosedXML", false)]
    public void The_loader_shares_exactly_the_platform_assemblies(string assembly, bool shared) =>
        SharedAssemblies.IsShared(assembly).Should().Be(shared);
}
