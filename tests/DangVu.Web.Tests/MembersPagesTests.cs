using System.Net;

namespace DangVu.Web.Tests;

/// <summary>The Members module's pages in the shell, from its plugin assembly, guarded per chi bộ.</summary>
public sealed class MembersPagesTests
{
    [Fact]
    public async Task A_secretary_finds_her_chi_bo_members_and_cannot_open_another_chi_bo_member_by_url()
    {
        await using var installation = new TestInstallation();
        await installation.InstallModuleAsync("Members");
        var committee = await Committee.SetUpAsync(installation);
        await using var server = installation.Cli.Serve(new Dictionary<string, string> { ["DANGVU__Modules__members__DemoMembers"] = "16" });
        await server.WaitUntilReadyAsync();
        await committee.TokenAsync(server, "lan.tt");
        await committee.TokenAsync(server, "binh.lv");
        using var lan = new WebSession(server.Address);
        await lan.SignInAsync("lan.tt", Committee.NewPassword);
        using var binh = new WebSession(server.Address);
        await binh.SignInAsync("binh.lv", Committee.NewPassword);

        WebSession.Page list;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(500);
            list = await lan.PageAsync("/members");
        }
        while (list.Document.QuerySelectorAll("#members-table tbody tr").Length == 0 && DateTime.UtcNow < deadline);
        var firstLink = list.Document.QuerySelector("#members-table tbody a")!.GetAttribute("href")!;
        var ownProfile = await lan.PageAsync(firstLink);
        var otherProfile = await binh.PageAsync(firstLink);
        var nav = await lan.PageAsync("/");

        list.Status.Should().Be(HttpStatusCode.OK);
        list.Text("#members-total").Should().EndWith("đảng viên");
        ownProfile.Status.Should().Be(HttpStatusCode.OK);
        ownProfile.Text("#member-name").Should().NotBeNullOrEmpty();
        ownProfile.Document.QuerySelectorAll("#member-history li").Should().NotBeEmpty("registration is the first entry of the timeline");
        otherProfile.Status.Should().Be(HttpStatusCode.Forbidden);
        otherProfile.Html.Should().NotContain(ownProfile.Text("#member-name")!, "a refused page shows no data");
        nav.Document.QuerySelectorAll("a[href='/members']").Should().NotBeEmpty("the module's navigation entry is shown to holders of members.read");
    }
}
