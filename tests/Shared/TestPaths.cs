namespace DangVu.Testing;

/// <summary>Where the repository and the build outputs the tests use are.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The configuration the tests were built in (Debug or Release), read from their own output path.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The build output of a fixture project under tests/Fixtures, built before the tests by a project reference.</summary>
    public static string FixtureOutput(string project) =>
        Path.Combine(RepoRoot, "tests", "Fixtures", project, "bin", Configuration, "net10.0");

    /// <summary>A fresh folder under the system temp folder, deleted by the caller.</summary>
    public static string NewTempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dangvu-{prefix}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Copies a fixture's build output into <c>plugins/&lt;id&gt;</c> as an installed plugin.</summary>
    public static string InstallFixture(string pluginsDirectory, string project, string id)
    {
        var target = Path.Combine(pluginsDirectory, id);
        CopyDirectory(FixtureOutput(project), target);
        return target;
    }

    public static void CopyDirectory(string source, string target)
    {
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"{source} does not exist; build the solution first (build/test.sh does).");
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private static string FindRepoRoot()
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
