using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace DangVu.Architecture.Tests;

/// <summary>A project of the repository, by what it is in the architecture.</summary>
internal sealed record ProjectInfo(string Path, string AssemblyName, bool IsModule, bool IsCore)
{
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;
}

/// <summary>
/// The dependency rules: a module depends on Core.Abstractions and Contracts only, never on
/// DangVu.Core or another module; Core depends on no module.
/// </summary>
internal static class BoundaryRules
{
    public const string CoreAssembly = "DangVu.Core";

    public static IReadOnlyList<ProjectInfo> Projects(string repoRoot)
    {
        var projects = new List<ProjectInfo>();
        foreach (var csproj in Directory.EnumerateFiles(repoRoot, "*.csproj", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(repoRoot, csproj).Replace('\\', '/');
            if (relative.Contains("/bin/") || relative.Contains("/obj/") || relative.StartsWith("artifacts/"))
            {
                continue;
            }

            var folder = System.IO.Path.GetDirectoryName(csproj)!;
            var isModule = File.Exists(System.IO.Path.Combine(folder, "module.json"));
            projects.Add(new ProjectInfo(csproj, AssemblyNameOf(csproj), isModule, relative.StartsWith("Core/")));
        }

        return projects;
    }

    /// <summary>Every rule broken by one project's references, as sentences naming both ends.</summary>
    public static IEnumerable<string> Violations(ProjectInfo project, IReadOnlyList<ProjectInfo> all, IEnumerable<string> referencedAssemblies)
    {
        var references = ProjectReferences(project.Path)
            .Select(path => all.FirstOrDefault(p => SamePath(p.Path, path)))
            .Where(p => p is not null)
            .Select(p => p!.AssemblyName)
            .Concat(referencedAssemblies)
            .Distinct()
            .ToList();
        var modules = all.Where(p => p.IsModule).Select(p => p.AssemblyName).ToHashSet();

        foreach (var reference in references)
        {
            if (project.IsModule && reference == CoreAssembly)
            {
                yield return $"module {project.AssemblyName} references {CoreAssembly}; modules use DangVu.Core.Abstractions only";
            }

            if (project.IsModule && modules.Contains(reference) && reference != project.AssemblyName)
            {
                yield return $"module {project.AssemblyName} references module {reference}; modules talk through contracts and integration events";
            }

            if (project.IsCore && modules.Contains(reference))
            {
                yield return $"Core project {project.AssemblyName} references module {reference}; Core must not know any module";
            }
        }
    }

    /// <summary>The assemblies a built assembly references, read from its metadata without loading it.</summary>
    public static IEnumerable<string> AssemblyReferences(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }

    public static string? BuiltAssembly(ProjectInfo project)
    {
        var path = System.IO.Path.Combine(project.Folder, "bin", TestPaths.Configuration, "net10.0", project.AssemblyName + ".dll");
        return File.Exists(path) ? path : null;
    }

    private static IEnumerable<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => (string?)r.Attribute("Include"))
            .Where(i => i is not null)
            .Select(i => System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(csproj)!, i!.Replace('\\', '/'))));

    private static string AssemblyNameOf(string csproj) =>
        XDocument.Load(csproj).Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault()
        ?? System.IO.Path.GetFileNameWithoutExtension(csproj);

    private static bool SamePath(string a, string b) =>
        string.Equals(System.IO.Path.GetFullPath(a), System.IO.Path.GetFullPath(b), StringComparison.Ordinal);
}
