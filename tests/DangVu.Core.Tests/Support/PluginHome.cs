using DangVu.Core.Hosting;
using DangVu.Core.Modules;

namespace DangVu.Core.Tests.Support;

/// <summary>An installation folder in temp with fixture plugins copied in, as an administrator would install them.</summary>
internal sealed class PluginHome : IDisposable
{
    public PluginHome()
    {
        Home = TestPaths.NewTempDirectory("home");
        Directory.CreateDirectory(Plugins);
    }

    public string Home { get; }

    public string Plugins => Path.Combine(Home, "plugins");

    public Dictionary<string, string?> Settings { get; } = [];

    public DangVuInstallation Installation => DangVuInstallation.Open(Home, Settings);

    public string Install(string project, string id) => TestPaths.InstallFixture(Plugins, project, id);

    /// <summary>Installs the notes and inbox fixtures (inbox depends on notes).</summary>
    public PluginHome WithNotesAndInbox()
    {
        Install("Notes", "notes");
        Install("Inbox", "inbox");
        return this;
    }

    /// <summary>Rewrites one field of an installed plugin's manifest.</summary>
    public void EditManifest(string id, Func<string, string> edit)
    {
        var path = Path.Combine(Plugins, id, ModuleManifest.FileName);
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    }

    public IReadOnlyList<ModuleEntry> Load() => new ModuleLoader(Installation).Load();

    public ModuleEntry Entry(IReadOnlyList<ModuleEntry> entries, string id) => entries.Single(e => e.Id == id);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // Assemblies loaded from here stay mapped on some systems; temp is cleaned anyway.
        }
    }
}
