namespace DangVu.Core.Abstractions.Modules;

/// <summary>What a module is told about itself and the installation it runs in.</summary>
/// <param name="Id">The module id from <c>module.json</c>, such as <c>members</c>.</param>
/// <param name="NameVi">Vietnamese display name.</param>
/// <param name="NameEn">English display name.</param>
/// <param name="Version">The module's version from its manifest.</param>
/// <param name="DataDirectory">A folder of the module's own for files (created by the host).</param>
/// <param name="NodeId">The id of this installation (node) in the federation.</param>
public sealed record ModuleContext(
    string Id,
    string NameVi,
    string NameEn,
    Version Version,
    string DataDirectory,
    string NodeId);
