using System.Reflection;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Hosting;

namespace DangVu.Core.Modules;

/// <summary>
/// Finds the installation's plugins, checks them and loads each into its own
/// <see cref="ModuleLoadContext"/>, in dependency order. A broken plugin is marked failed with
/// the reason, and so is every module that depends on it; the others load.
/// </summary>
internal sealed class ModuleLoader(DangVuInstallation installation)
{
    /// <summary>The version of Core the loader checks manifests' <c>core</c> ranges against.</summary>
    public static Version CoreVersion { get; } = typeof(IModule).Assembly.GetName().Version ?? new Version(1, 0, 0);

    public IReadOnlyList<ModuleEntry> Load()
    {
        var disabled = new ModuleStateStore(installation.ModuleStatePath).Disabled;
        var entries = Discover();
        foreach (var entry in entries)
        {
            if (entry.Manifest is null)
            {
                continue;
            }

            if (disabled.Contains(entry.Id))
            {
                entry.MarkDisabled();
            }
            else if (!entry.Manifest.Core.Includes(CoreVersion))
            {
                entry.MarkFailed(
                    $"cần Core {entry.Manifest.Core} nhưng máy này chạy Core {CoreVersion.ToString(3)}; hãy cài phiên bản mô-đun phù hợp " +
                    $"(needs Core {entry.Manifest.Core} but this host runs Core {CoreVersion.ToString(3)}; install a matching module version)");
            }
        }

        var ordered = DependencyOrder.Sort(entries);
        foreach (var entry in ordered.Where(e => e.State == Contracts.Core.V1.ModuleState.Unspecified))
        {
            Instantiate(entry);
        }

        return ordered;
    }

    private List<ModuleEntry> Discover()
    {
        var entries = new List<ModuleEntry>();
        if (!Directory.Exists(installation.PluginsDirectory))
        {
            return entries;
        }

        foreach (var folder in Directory.EnumerateDirectories(installation.PluginsDirectory).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(folder);
            if (id.StartsWith('.'))
            {
                continue; // an install or removal in progress
            }

            try
            {
                entries.Add(new ModuleEntry(id, folder, ModuleManifest.Read(Path.Combine(folder, ModuleManifest.FileName))));
            }
            catch (ModuleLoadException ex)
            {
                var entry = new ModuleEntry(id, folder, null);
                entry.MarkFailed(ex.Reason);
                entries.Add(entry);
            }
        }

        return entries;
    }

    private void Instantiate(ModuleEntry entry)
    {
        var manifest = entry.Manifest!;
        var assemblyPath = Path.Combine(entry.Folder, manifest.Assembly);
        if (!File.Exists(assemblyPath))
        {
            entry.MarkFailed(
                $"không tìm thấy tệp {manifest.Assembly} trong {entry.Folder}; hãy cài lại mô-đun từ gói zip " +
                $"({manifest.Assembly} is missing in {entry.Folder}; reinstall the module from its zip)");
            return;
        }

        try
        {
            var context = new ModuleLoadContext(entry.Id, assemblyPath);
            var assembly = context.LoadFromAssemblyPath(assemblyPath);
            var moduleTypes = ModuleTypes(assembly);
            if (moduleTypes.Count != 1)
            {
                entry.MarkFailed(moduleTypes.Count == 0
                    ? $"{manifest.Assembly} không có lớp nào triển khai IModule ({manifest.Assembly} has no class implementing IModule)"
                    : $"{manifest.Assembly} có {moduleTypes.Count} lớp IModule, chỉ được có một ({manifest.Assembly} has {moduleTypes.Count} IModule classes; it must have one)");
                return;
            }

            var module = (IModule)Activator.CreateInstance(moduleTypes[0])!;
            var dataDirectory = Path.Combine(installation.DataDirectory, "modules", entry.Id);
            entry.MarkLoaded(module, new ModuleContext(entry.Id, manifest.NameVi, manifest.NameEn, manifest.Version, dataDirectory, installation.NodeId));
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TargetInvocationException or MissingMethodException)
        {
            var detail = ex is TargetInvocationException { InnerException: { } inner } ? inner.Message : ex.Message;
            entry.MarkFailed(
                $"không nạp được {manifest.Assembly}: {detail}; mô-đun có thể được biên dịch cho phiên bản Core khác " +
                $"(could not load {manifest.Assembly}: {detail}; the module may be built for another Core version)");
        }
    }

    private static List<Type> ModuleTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IModule).IsAssignableFrom(t)).ToList();
}
