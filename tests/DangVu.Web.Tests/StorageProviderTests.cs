using System.Net;

namespace DangVu.Web.Tests;

/// <summary>The pages that read Core's tables and the modules' audit trails, on both storage providers.</summary>
public sealed class StorageProviderTests
{
    [Theory]
    [StorageProviders]
    public async Task Administration_pages_read_accounts_roles_and_the_audit_trail(string provider)
    {
        await using var installation = new TestInstallation(provider);
        TestPaths.InstallFixture(installation.Plugins, "Pages", "pages");
        var csv = Path.Combine(installation.Home, "org.csv");
        await File.WriteAllTextAsync(csv, "code,name,kind,parent,valid_from,valid_to\nCS01,Đảng bộ cơ sở Một,Đảng bộ cơ sở,,2020-01-01,\nCBA,Chi bộ A,Chi bộ trực thuộc,CS01,2020-01-01,\n");
        (await installation.Cli.RunAsync("org", "import", csv)).ExitCode.Should().Be(0);
        var add = await installation.Cli.RunAsync("users", "add", "quantri", "--name", "Quản Trị", "--admin");
        add.ExitCode.Should().Be(0, add.Output);
        var temporary = add.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        await using var server = LocalServer.Start(installation);
        await server.WaitUntilReadyAsync();

        using var session = new WebSession(server.Address);
        var wrong = await session.SubmitAsync("/account/signin", "signin",
            new Dictionary<string, string> { ["userName"] = "quantri", ["password"] = "sai-mat-khau-1" });
        wrong.Text("#signin-error").Should().Be("Tên đăng nhập hoặc mật khẩu không đúng");
        await session.SignInAsync("quantri", temporary, "/account/password");
        var changed = await session.SubmitAsync("/account/password", "password", new Dictionary<string, string>
        {
            ["current"] = temporary, ["new"] = WebServerFixture.Password, ["confirm"] = WebServerFixture.Password,
        });
        changed.Status.Should().Be(HttpStatusCode.Found, changed.Html);

        foreach (var path in ((IEnumerable<object[]>)PageGuardTests.SignedInPages).Select(row => (string)row[0]).Where(p => p != "/admin/users/vana"))
        {
            var page = await session.PageAsync(path);
            page.Status.Should().Be(HttpStatusCode.OK, $"{path}: {page.Html}\n{server.Log}");
        }

        var users = await session.PageAsync("/admin/users");
        users.Status.Should().Be(HttpStatusCode.OK, users.Html + server.Log);
        users.Document.QuerySelectorAll("#users tbody tr td:first-child").Select(td => td.TextContent).Should().Equal("quantri");

        var role = await session.PageAsync("/admin/roles/clerk");
        role.Document.QuerySelector("input[value='pages.read']")!.HasAttribute("checked").Should().BeTrue("clerks get a module's read permission by default");

        var modules = await session.PageAsync("/admin/modules");
        modules.Document.QuerySelector("tr[data-module=pages]")!.TextContent.Should().Contain("Đang chạy");

        var audit = await session.PageAsync("/admin/audit?user=QUANTRI&module=core");
        audit.Status.Should().Be(HttpStatusCode.OK);
        var operations = audit.Document.QuerySelectorAll("#audit tbody td.op").Select(td => td.TextContent).ToList();
        operations.Should().Contain("sign-in").And.Contain("sign-in.failed");
        var today = DateTime.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await session.PageAsync($"/admin/audit?from={today}&to={today}&op=sign-in.failed"))
            .Document.QuerySelectorAll("#audit tbody td.op").Select(td => td.TextContent).Should().Equal("sign-in.failed");
    }
}
