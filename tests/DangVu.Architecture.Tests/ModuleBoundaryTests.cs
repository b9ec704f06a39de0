namespace DangVu.Architecture.Tests;

public sealed class ModuleBoundaryTests
{
    private static readonly IReadOnlyList<ProjectInfo> Projects = BoundaryRules.Projects(TestPaths.RepoRoot);

    [Fact]
    public void Modules_reference_neither_Core_nor_another_module()
    {
        var modules = Projects.Where(p => p.IsModule).ToList();
        modules.Should().NotBeEmpty("the fixture modules at least are checked");

        var violations = modules.SelectMany(m => BoundaryRules.Violations(m, Projects, BuiltReferences(m))).ToList();

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Core_references_no_module()
    {
        var core = Projects.Where(p => p.IsCore).ToList();
        core.Select(p => p.AssemblyName).Should().Contain(["DangVu.Core", "DangVu.Core.Abstractions"]);

        var violations = core.SelectMany(c => BoundaryRules.Violations(c, Projects, BuiltReferences(c))).ToList();

        violations.Should().BeEmpty();
    }

    [Fact]
    public void A_module_referencing_Core_or_another_module_is_caught()
    {
        var folder = TestPaths.NewTempDirectory("arch");
        try
        {
            var csproj = Path.Combine(folder, "DangVu.Modules.Rogue.csproj");
            var notes = Projects.Single(p => p.AssemblyName == "DangVu.Fixtures.Notes");
            File.WriteAllText(Path.Combine(folder, "module.json"), "{}");
            File.WriteAllText(csproj, $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    <ProjectReference Include="{Path.Combine(TestPaths.RepoRoot, "Core", "DangVu.Core", "DangVu.Core.csproj")}" />
                    <ProjectReference Include="{notes.Path}" />
                  </ItemGroup>
                </Project>
                """);
            var rogue = new ProjectInfo(csproj, "DangVu.Modules.Rogue", IsModule: true, IsCore: false);

            var violations = BoundaryRules.Violations(rogue, [.. Projects, rogue], []).ToList();

            violations.Should().HaveCount(2);
            violations.Should().Contain(v => v.Contains("references DangVu.Core;"));
            violations.Should().Contain(v => v.Contains("references module DangVu.Fixtures.Notes"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_compiled_reference_to_Core_is_caught_even_without_a_project_reference()
    {
        var module = Projects.First(p => p.IsModule);

        var violations = BoundaryRules.Violations(module, Projects, ["DangVu.Core"]).ToList();

        violations.Should().ContainSingle().Which.Should().Contain("modules use DangVu.Core.Abstractions only");
    }

    private static IEnumerable<string> BuiltReferences(ProjectInfo project) =>
        BoundaryRules.BuiltAssembly(project) is { } assembly ? BoundaryRules.AssemblyReferences(assembly) : [];
}
