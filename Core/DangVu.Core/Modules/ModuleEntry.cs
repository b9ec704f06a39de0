using DangVu.Contracts.Core.V1;
using DangVu.Core.Abstractions.Modules;

namespace DangVu.Core.Modules;

/// <summary>One folder of the plugins directory and what became of it.</summary>
internal sealed class ModuleEntry
{
    public ModuleEntry(string id, string folder, ModuleManifest? manifest)
    {
        Id = id;
        Folder = folder;
        Manifest = manifest;
    }

    public string Id { get; }

    public string Folder { get; }

    /// <summary>Null when the manifest could not be read.</summary>
    public ModuleManifest? Manifest { get; }

    public ModuleState State { get; private set; } = ModuleState.Unspecified;

    public string Reason { get; private set; } = "";

    public IModule? Instance { get; private set; }

    public ModuleContext? Context { get; private set; }

    public bool IsLoaded => State == ModuleState.Loaded;

    public void MarkLoaded(IModule instance, ModuleContext context)
    {
        Instance = instance;
        Context = context;
        State = ModuleState.Loaded;
        Reason = "";
    }

    public void MarkDisabled()
    {
        State = ModuleState.Disabled;
        Reason = "đã tắt bởi quản trị viên (disabled by an administrator)";
    }

    public void MarkFailed(string reason)
    {
        Instance = null;
        State = ModuleState.Failed;
        Reason = reason;
    }

    public ModuleInfo ToInfo()
    {
        var info = new ModuleInfo
        {
            Id = Id,
            NameVi = Manifest?.NameVi ?? Id,
            NameEn = Manifest?.NameEn ?? Id,
            Version = Manifest?.Version.ToString(3) ?? "",
            State = State,
            Reason = Reason,
        };
        info.DependsOn.AddRange(Manifest?.Dependencies ?? []);
        return info;
    }
}
