using DangVu.Core.Abstractions.Modules;

namespace DangVu.Core.Modules;

/// <summary>The installation's modules as the host sees them after start-up: states, permissions, navigation.</summary>
internal sealed class ModuleRegistry(IReadOnlyList<ModuleEntry> entries)
{
    public IReadOnlyList<ModuleEntry> Entries { get; } = entries;

    public IEnumerable<ModuleEntry> Loaded => Entries.Where(e => e.IsLoaded);

    public List<PermissionDefinition> Permissions { get; } = [];

    public List<NavigationItem> Navigation { get; } = [];

    public List<ModuleCommandRegistration> Commands { get; } = [];
}

/// <summary>A module's command-line verb and the handler type that runs it.</summary>
internal sealed record ModuleCommandRegistration(string ModuleId, ModuleCommand Command, Type Handler);
