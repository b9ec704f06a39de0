namespace DangVu.Core.Abstractions.Modules;

/// <summary>An entry a module adds to the web shell's navigation.</summary>
/// <param name="TitleVi">Vietnamese title.</param>
/// <param name="TitleEn">English title.</param>
/// <param name="Href">Where it leads, such as <c>/members</c>.</param>
/// <param name="RequiredPermission">Shown only to users holding it; null shows it to every signed-in user.</param>
/// <param name="Order">Position among the entries; lower first.</param>
public sealed record NavigationItem(string TitleVi, string TitleEn, string Href, string? RequiredPermission = null, int Order = 100);
