using DangVu.Core.Abstractions.Modules;

namespace DangVu.Fixtures.Pages;

/// <summary>
/// A fixture module whose pages live in its own assembly: a page per organisation guarded by
/// <c>pages.read</c>, and a navigation entry for each of its two permissions.
/// </summary>
public sealed class PagesModule : IModule
{
    public const string Read = "pages.read";
    public const string Secret = "pages.secret";

    public void ConfigureServices(IModuleBuilder module) =>
        module
            .AddPermissions(
                new PermissionDefinition(Read, "Xem trang mẫu", "Read the fixture pages"),
                new PermissionDefinition(Secret, "Xem trang mẫu hạn chế", "Read the restricted fixture page"))
            .AddNavigation(
                new NavigationItem("Trang mẫu", "Fixture pages", "/fixtures/pages", Read, 50),
                new NavigationItem("Trang hạn chế", "Restricted page", "/fixtures/pages/restricted", Secret, 60));
}
