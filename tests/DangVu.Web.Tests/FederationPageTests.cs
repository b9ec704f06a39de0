using System.Net;

namespace DangVu.Web.Tests;

/// <summary>
/// <c>/admin/federation</c> over HTTP against the real server (the web fixture is a root node):
/// a child node's real enrolment request approved on the page, its link reclassified and revoked.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class FederationPageTests(WebServerFixture web)
{
    private const string Page = "/admin/federation";

    [Fact]
    public async Task An_organisation_scoped_administrator_gets_403_and_sees_no_request()
    {
        await using var child = new ChildNode("node-phan-quyen");
        var requestId = await child.RequestAsync(web);

        using var session = await web.SignedInAsync("quantria");
        var page = await session.PageAsync(Page);

        page.Status.Should().Be(HttpStatusCode.Forbidden);
        page.Html.Should().NotContain(requestId).And.NotContain("node-phan-quyen");
    }

    [Fact]
    public async Task A_request_is_approved_with_a_subtree_of_the_tree_showing_the_code_once_then_reclassified_and_revoked()
    {
        await using var child = new ChildNode("node-chi-bo-a");
        var requestId = await child.RequestAsync(web);
        using var session = await web.SignedInAsync("admin");
        var form = "approve-" + requestId;

        var listed = await session.PageAsync(Page);
        listed.Status.Should().Be(HttpStatusCode.OK);
        listed.Document.QuerySelector($"tr[data-request='{requestId}']")!.TextContent.Should().Contain("node-chi-bo-a");
        listed.Document.QuerySelectorAll("#organisations option").Select(o => o.GetAttribute("value")).Should().Contain(["T01", "CS01", "CBA", "CBB"]);

        var refused = await session.SubmitAsync(Page, form, new Dictionary<string, string> { ["subtree"] = "KHONG.CO", ["network"] = "internet" });
        refused.Status.Should().Be(HttpStatusCode.BadRequest);
        refused.Text("#subtree-error").Should().Contain("Không có tổ chức mã 'KHONG.CO'");
        refused.Document.QuerySelector($"#subtree-{requestId}")!.GetAttribute("value").Should().Be("KHONG.CO");
        refused.Document.QuerySelector($"#network-{requestId} option[selected]")!.GetAttribute("value").Should().Be("internet");
        refused.Document.QuerySelector("#one-time-code").Should().BeNull();

        var approved = await session.SubmitAsync(Page, form, new Dictionary<string, string> { ["subtree"] = "CBA", ["network"] = "internal" });
        approved.Status.Should().Be(HttpStatusCode.OK, approved.Html);
        var code = approved.Text("#one-time-code");
        code.Should().MatchRegex("^[A-Z2-9]{12}$");
        approved.Document.QuerySelector($"tr[data-request='{requestId}']").Should().BeNull("the request is handled");
        LinkCells(approved, "node-chi-bo-a").Should().ContainInOrder("node-chi-bo-a", "nút con", "hoạt động", "CBA", "internal");
        (await session.PageAsync(Page)).Html.Should().NotContain(code!, "the code is shown once");

        // The code works: the child fetches its certificate with it.
        (await child.RunAsync("federation", "accept", "--code", code!)).ExitCode.Should().Be(0);

        var reclassified = await session.SubmitAsync(Page, "link-node-chi-bo-a", new Dictionary<string, string> { ["act"] = "reclassify", ["network"] = "internet" });
        reclassified.Status.Should().Be(HttpStatusCode.OK, reclassified.Html);
        LinkCells(reclassified, "node-chi-bo-a")[4].Should().Be("internet");

        var revoked = await session.SubmitAsync(Page, "link-node-chi-bo-a", new Dictionary<string, string> { ["act"] = "revoke" });
        revoked.Status.Should().Be(HttpStatusCode.OK, revoked.Html);
        revoked.Text("#federation-notice").Should().Contain("Đã thu hồi nút node-chi-bo-a");
        LinkCells(revoked, "node-chi-bo-a")[2].Should().Be("đã thu hồi");
        revoked.Document.QuerySelector("#revoke-node-chi-bo-a").Should().BeNull("a revoked link has nothing left to change");
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_refused()
    {
        await using var child = new ChildNode("node-khong-token");
        var requestId = await child.RequestAsync(web);
        using var session = await web.SignedInAsync("admin");

        var forged = await session.SubmitAsync(Page, "approve-" + requestId, new Dictionary<string, string> { ["subtree"] = "CBB", ["network"] = "internal" }, withToken: false);

        forged.Status.Should().Be(HttpStatusCode.BadRequest);
        (await session.PageAsync(Page)).Document.QuerySelector($"tr[data-request='{requestId}']").Should().NotBeNull("nothing was approved");
    }

    [BrowserFact]
    public async Task In_a_browser_the_administrator_picks_a_subtree_approves_sees_the_code_and_revokes()
    {
        await using var child = new ChildNode("node-chi-bo-b");
        var requestId = await child.RequestAsync(web);
        await using var browser = await Browser.OpenAsync(web.Address);
        await browser.SignInAsync("admin", WebServerFixture.Password);

        await browser.Page.GotoAsync(Page);
        await browser.Page.FillAsync($"#subtree-{requestId}", "CBB");
        await browser.Page.SelectOptionAsync($"#network-{requestId}", "internet");
        await browser.ClickAndWaitForNextPageAsync($"#approve-{requestId}");

        (await browser.Page.TextContentAsync("#one-time-code"))!.Trim().Should().MatchRegex("^[A-Z2-9]{12}$");
        (await browser.Page.TextContentAsync("tr[data-link='node-chi-bo-b']")).Should().Contain("CBB").And.Contain("internet").And.Contain("hoạt động");

        await browser.ClickAndWaitForNextPageAsync("#revoke-node-chi-bo-b");
        (await browser.Page.TextContentAsync("tr[data-link='node-chi-bo-b']")).Should().Contain("đã thu hồi");
    }

    private static List<string> LinkCells(WebSession.Page page, string node) =>
        page.Document.QuerySelector($"tr[data-link='{node}']")?.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()
        ?? throw new InvalidOperationException($"No link {node}:\n{page.Html}");

    /// <summary>A child installation with its own keys, asking the web fixture's node to enrol it.</summary>
    private sealed class ChildNode : IAsyncDisposable
    {
        private readonly TestInstallation _installation = new();

        public ChildNode(string nodeId)
        {
            _installation.Cli.Environment["DANGVU__Node__Id"] = nodeId;
            _installation.Cli.Environment["DANGVU__Federation__BackgroundSync"] = "false";
        }

        public Task<CommandResult> RunAsync(params string[] args) => _installation.Cli.RunAsync(args);

        /// <summary><c>federation init</c> then <c>federation request</c>; returns the request id.</summary>
        public async Task<string> RequestAsync(WebServerFixture parent)
        {
            (await RunAsync("federation", "init")).ExitCode.Should().Be(0);
            var request = await RunAsync("federation", "request", "--parent", parent.Server.GrpcAddress.ToString());
            request.ExitCode.Should().Be(0, request.Output);
            return request.Stdout.Trim().Split('\n')[^1].Trim();
        }

        public ValueTask DisposeAsync() => _installation.DisposeAsync();
    }
}
