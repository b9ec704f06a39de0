using DangVu.Core.Abstractions.Modules;

namespace DangVu.Core.Modules;

/// <summary>The installation's modules as the host sees them after start-up: states, permissions, navigation.</summary>
internal sealed class ModuleRegistry(IReadOnlyList<ModuleEntry> entries)
{
    public IReadOnlyList<ModuleEntry> Entries { get; } = entries;

    public IEnumerable<ModuleEntry> Loaded => Entries.Where(e => e.IsLoaded);

    public List<PermissionDefinition> Permissions { get; } = [];

    public List<NavigationItem> Navigation { get; } = [];
}
