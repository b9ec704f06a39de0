using System.Net;

namespace DangVu.Web.Tests;

/// <summary>Every page's guard, over HTTP against the real server: sign-in first, then permissions per organisation.</summary>
[Collection(WebCollection.Name)]
public sealed class PageGuardTests(WebServerFixture web)
{
    public static TheoryData<string> SignedInPages =>
    [
        "/", "/account/password", "/account/2fa",
        "/admin/users", "/admin/users/vana", "/admin/roles", "/admin/roles/clerk",
        "/admin/organisations", "/admin/organisations/CBA", "/admin/modules", "/admin/audit", "/admin/federation",
        "/fixtures/pages", "/fixtures/pages/org/CBA", "/fixtures/pages/restricted",
    ];

    public static TheoryData<string> AdministrationPages =>
    [
        "/admin/users", "/admin/users/vana", "/admin/roles", "/admin/roles/clerk",
        "/admin/organisations", "/admin/organisations/CBA", "/admin/modules", "/admin/audit", "/admin/federation",
    ];

    [Theory]
    [MemberData(nameof(SignedInPages))]
    public async Task Anonymous_visitor_is_redirected_to_sign_in(string path)
    {
        using var session = web.NewSession();
        using var response = await session.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.Found);
        response.Headers.Location!.PathAndQuery.Should().Be("/account/signin?ReturnUrl=" + Uri.EscapeDataString(path));
    }

    [Theory]
    [MemberData(nameof(AdministrationPages))]
    public async Task Chi_bo_clerk_gets_403_in_Vietnamese_on_administration_pages(string path)
    {
        using var session = await web.SignedInAsync("vana");
        var page = await session.PageAsync(path);
        page.Status.Should().Be(HttpStatusCode.Forbidden);
        page.Text("#forbidden h1").Should().Be("Không có quyền truy cập");
    }

    [Theory]
    [MemberData(nameof(SignedInPages))]
    public async Task Administrator_opens_every_page(string path)
    {
        using var session = await web.SignedInAsync("admin");
        var page = await session.PageAsync(path);
        page.Status.Should().Be(HttpStatusCode.OK, page.Html);
        page.Document.QuerySelector("#forbidden").Should().BeNull();
    }

    [Fact]
    public async Task User_of_chi_bo_A_gets_403_on_chi_bo_B_module_page_by_direct_url()
    {
        using var session = await web.SignedInAsync("vana");
        (await session.PageAsync("/fixtures/pages/org/CBA")).Status.Should().Be(HttpStatusCode.OK);
        var other = await session.PageAsync("/fixtures/pages/org/CBB");
        other.Status.Should().Be(HttpStatusCode.Forbidden);
        other.Html.Should().NotContain("Trang của Chi bộ B");
    }

    [Fact]
    public async Task Administrator_of_chi_bo_A_gets_403_on_chi_bo_B_organisation_page_by_direct_url()
    {
        using var session = await web.SignedInAsync("quantria");
        var own = await session.PageAsync("/admin/organisations/CBA");
        own.Status.Should().Be(HttpStatusCode.OK);
        own.Text("#org-name").Should().Be("Chi bộ A");
        var other = await session.PageAsync("/admin/organisations/CBB");
        other.Status.Should().Be(HttpStatusCode.Forbidden);
        other.Html.Should().NotContain("Chi bộ B");
    }

    [Fact]
    public async Task Administrator_of_chi_bo_A_sees_only_chi_bo_A_in_the_organisation_tree()
    {
        using var session = await web.SignedInAsync("quantria");
        var tree = await session.PageAsync("/admin/organisations");
        tree.Status.Should().Be(HttpStatusCode.OK);
        tree.Document.QuerySelectorAll("#org-tree a").Select(a => a.TextContent).Should().Equal("Chi bộ A");
    }

    [Fact]
    public async Task Administrator_of_chi_bo_A_cannot_grant_a_role_in_chi_bo_B()
    {
        using var session = await web.SignedInAsync("quantria");
        var page = await session.SubmitAsync("/admin/users/moi", "user", new Dictionary<string, string>
        {
            ["act"] = "grant", ["role"] = "clerk", ["org"] = "CBB",
        });
        page.Status.Should().Be(HttpStatusCode.Forbidden);
        var grants = await web.Installation.QueryAsync<long>("core",
            "SELECT COUNT(*) FROM role_grants g JOIN users u ON u.\"Id\" = g.\"UserId\" WHERE u.\"UserName\" = 'moi'");
        grants.Should().Be(1, "moi keeps only the clerk role in chi bộ A");
    }

    [Fact]
    public async Task Administrator_of_chi_bo_A_neither_lists_nor_opens_accounts_of_chi_bo_B()
    {
        using var session = await web.SignedInAsync("quantria");
        var list = await session.PageAsync("/admin/users");
        list.Status.Should().Be(HttpStatusCode.OK);
        var names = list.Document.QuerySelectorAll("#users tbody tr td:first-child").Select(td => td.TextContent).ToList();
        names.Should().Contain("vana").And.NotContain("vanb").And.NotContain("admin");
        list.Html.Should().NotContain("@CBB");
        (await session.PageAsync("/admin/users/vana")).Status.Should().Be(HttpStatusCode.OK);
        var other = await session.PageAsync("/admin/users/vanb");
        other.Status.Should().Be(HttpStatusCode.Forbidden);
        other.Html.Should().NotContain("Trần Thị Bình");
    }

    [Fact]
    public async Task Unknown_organisation_answers_404()
    {
        using var session = await web.SignedInAsync("admin");
        (await session.PageAsync("/admin/organisations/NOPE")).Status.Should().Be(HttpStatusCode.NotFound);
    }
}
