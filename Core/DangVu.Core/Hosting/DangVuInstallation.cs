using Microsoft.Extensions.Configuration;

namespace DangVu.Core.Hosting;

/// <summary>
/// Where one installation (node) keeps everything: its settings, its data and its plugins.
/// Resolved once per process from <c>--home</c>, <c>DANGVU_HOME</c> or the current folder's
/// <c>.dangvu</c>, then from <c>appsettings.json</c> in that folder and <c>DANGVU__*</c>
/// environment variables.
/// </summary>
internal sealed class DangVuInstallation
{
    public const string HomeEnvironmentVariable = "DANGVU_HOME";
    public const string EnvironmentPrefix = "DANGVU__";
    public const string SettingsFileName = "appsettings.json";

    // Quiet framework chatter by default; an installation turns it up in appsettings.json.
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    private string? _nodeId;

    private DangVuInstallation(string home, IConfigurationRoot configuration)
    {
        Home = home;
        Configuration = configuration;
        DataDirectory = ResolvePath(configuration["Data:Directory"], "data");
        PluginsDirectory = ResolvePath(configuration["Plugins:Directory"], "plugins");
        RequiredModules = ReadList(configuration, "Modules:Required");
        OwnedOrgUnitCodes = ReadList(configuration, "Node:Owns");
    }

    /// <summary>The installation folder (absolute).</summary>
    public string Home { get; }

    public IConfigurationRoot Configuration { get; }

    public string DataDirectory { get; }

    public string PluginsDirectory { get; }

    /// <summary>Codes of the organisations whose subtrees this node owns; empty: the whole tree.</summary>
    public IReadOnlySet<string> OwnedOrgUnitCodes { get; }

    /// <summary>Modules without which the host refuses to start.</summary>
    public IReadOnlySet<string> RequiredModules { get; }

    /// <summary>The path of the persisted enable/disable state of modules.</summary>
    public string ModuleStatePath => Path.Combine(DataDirectory, "modules.state.json");

    /// <summary>This node's id: configured as <c>Node:Id</c>, or created once and kept in the data folder.</summary>
    public string NodeId => _nodeId ??= Configuration["Node:Id"] is { Length: > 0 } configured ? configured : ReadOrCreateNodeId();

    public static DangVuInstallation Open(string? home, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        home = Path.GetFullPath(home
            ?? Environment.GetEnvironmentVariable(HomeEnvironmentVariable)
            ?? Path.Combine(Environment.CurrentDirectory, ".dangvu"));
        Directory.CreateDirectory(home);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Defaults)
            .SetBasePath(home)
            .AddJsonFile(SettingsFileName, optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides ?? [])
            .Build();
        return new DangVuInstallation(home, configuration);
    }

    private string ResolvePath(string? configured, string defaultName) =>
        Path.GetFullPath(Path.Combine(Home, configured is { Length: > 0 } ? configured : defaultName));

    private static HashSet<string> ReadList(IConfiguration configuration, string key)
    {
        // Accepts both a JSON array and a comma-separated value (handy in environment variables).
        var section = configuration.GetSection(key);
        var items = section.GetChildren().Select(c => c.Value).ToList();
        if (section.Value is { Length: > 0 } single)
        {
            items.AddRange(single.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        return items.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToHashSet(StringComparer.Ordinal);
    }

    private string ReadOrCreateNodeId()
    {
        Directory.CreateDirectory(DataDirectory);
        var path = Path.Combine(DataDirectory, "node-id");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var created = "node-" + Guid.CreateVersion7().ToString("N")[..16];
        File.WriteAllText(path, created);
        return created;
    }
}
