namespace DangVu.Core.Abstractions.Modules;

/// <summary>A permission a module checks, granted to roles per organisation.</summary>
/// <param name="Name">Stable name, <c>&lt;module&gt;.&lt;action&gt;</c>, such as <c>members.write</c>.</param>
/// <param name="DescriptionVi">What it allows, in Vietnamese.</param>
/// <param name="DescriptionEn">What it allows, in English.</param>
public sealed record PermissionDefinition(string Name, string DescriptionVi, string DescriptionEn);
