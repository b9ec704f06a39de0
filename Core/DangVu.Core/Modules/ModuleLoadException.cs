namespace DangVu.Core.Modules;

/// <summary>
/// A module that cannot be loaded, with what is wrong and how to fix it (Vietnamese first).
/// The host starts without the module unless it is required.
/// </summary>
internal sealed class ModuleLoadException(string moduleId, string messageVi, string messageEn, Exception? inner = null)
    : Exception($"Mô-đun '{moduleId}': {messageVi} (module '{moduleId}': {messageEn})", inner)
{
    public string ModuleId { get; } = moduleId;

    /// <summary>The reason without the module prefix, as shown next to the module in lists.</summary>
    public string Reason { get; } = $"{messageVi} ({messageEn})";
}
