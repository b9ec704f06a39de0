using System.Net.Http.Json;
using System.Text.Json;
using DangVu.Contracts.Members.V1;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Host.Tests;

namespace DangVu.Federation.Tests;

/// <summary>
/// The Members module on three host processes — city (root) → ward → chi bộ: member files
/// registered at the chi bộ appear in the upper nodes' member search and statistics as read-only
/// replicas, and a rule pack published at the city is used at the chi bộ (relayed by the ward).
/// </summary>
public sealed class MembersFederationTests
{
    private const int DemoMembers = 4;

    [Fact]
    public async Task Members_of_the_chi_bo_appear_above_as_read_only_replicas_and_rules_published_at_the_city_reach_the_chi_bo()
    {
        await using var city = new FederationNode("node-hn");
        await using var ward = new FederationNode("node-bd");
        await using var leaf = new FederationNode("node-cb1");
        leaf.Cli.Environment["DANGVU__Node__Owns"] = "HN.BD.CB1";
        ward.Cli.Environment["DANGVU__Node__Owns"] = "HN.BD";
        foreach (var node in new[] { city, ward, leaf })
        {
            await node.Installation.InstallModuleAsync("Members");
        }

        await Task.WhenAll(
            Enrolment.PrepareAsync(city, root: true),
            Enrolment.PrepareAsync(ward, root: false),
            Enrolment.PrepareAsync(leaf, root: false));
        await city.ServeAsync();
        await Enrolment.EnrolAsync(city, ward, "HN.BD");
        await ward.ServeAsync();
        await Enrolment.EnrolAsync(ward, leaf, "HN.BD.CB1");
        await leaf.ServeAsync(new Dictionary<string, string> { ["DANGVU__Modules__members__DemoMembers"] = DemoMembers.ToString() });
        var cityAdmin = await AdminAsync(city, "HN");

        await leaf.RunOkAsync("federation", "sync");
        await ward.RunOkAsync("federation", "sync");

        const string Replicas = "SELECT COUNT(*) FROM members WHERE \"OriginNode\" = 'node-cb1'";
        (await ward.Installation.QueryAsync<long>("members", Replicas)).Should().Be(DemoMembers);
        (await city.Installation.QueryAsync<long>("members", Replicas)).Should().Be(DemoMembers);
        (await city.Installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM member_history")).Should().BeGreaterThanOrEqualTo(DemoMembers, "the timelines travel with the files");
        (await city.Installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM dv_change_feed WHERE \"RecordType\" = 'members.member'")).Should().Be(0, "replicas are never fed again as the city's own changes");

        // The ward passes the files on up, so federation keeps what it received; the city, a root, has no one
        // to pass them to and keeps only the module's copy (and the version, for replays).
        const string Kept = "SELECT COUNT(*) FROM fed_replicas WHERE \"RecordType\" = 'members.member' AND \"Payload\" <> ''";
        (await ward.Installation.QueryAsync<long>("federation", Kept)).Should().Be(DemoMembers);
        (await city.Installation.QueryAsync<long>("federation", Kept)).Should().Be(0);
        (await city.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas WHERE \"RecordType\" = 'members.member' AND \"Version\" > 0"))
            .Should().Be(DemoMembers);

        using var cityChannel = Enrolment.ChannelTo(city, null);
        var cityMembers = new ServiceClient(cityChannel, MembersReflection.Descriptor.Services[0]);
        var hn = await OrgIdAsync(city, "HN");
        var found = await cityMembers.UnaryAsync<SearchMembersRequest, SearchMembersResponse>("SearchMembers", new() { OrgUnitId = hn, PageSize = 50, Page = 1 }, cityAdmin);
        found.Total.Should().Be(DemoMembers);
        var stats = await cityMembers.UnaryAsync<GetStatisticsRequest, MemberStatistics>("GetStatistics", new() { OrgUnitId = hn }, cityAdmin);
        stats.ToString().Should().Contain(DemoMembers.ToString());
        var replica = await cityMembers.UnaryAsync<GetMemberRequest, Member>("GetMember", new() { MemberId = found.Items[0].Id }, cityAdmin);

        var edit = async () => await cityMembers.UnaryAsync<UpdateProfileRequest, Member>("UpdateProfile",
            new() { MemberId = replica.Id, Profile = replica.Profile, Reason = "Sửa ở cấp trên" }, cityAdmin);
        var refusal = (await edit.Should().ThrowAsync<RpcException>()).Which.Status;
        refusal.StatusCode.Should().Be(StatusCode.FailedPrecondition);
        refusal.Detail.Should().Contain("bản sao chỉ đọc").And.Contain("node-cb1").And.Contain("Chi bộ Khu dân cư số 1");
        var version = $"SELECT \"Version\" FROM members WHERE \"Id\" = '{replica.Id.ToUpperInvariant()}'"; // SQLite keeps GUIDs as upper-case text
        (await city.Installation.QueryAsync<long>("members", version)).Should().Be(await leaf.Installation.QueryAsync<long>("members", version), "the refused edit wrote nothing");

        // Rules published at the city come down to the ward and, relayed by the ward, to the chi bộ.
        var packs = await cityMembers.UnaryAsync<ListRulePacksRequest, RulePacks>("ListRulePacks", new(), cityAdmin);
        await cityMembers.UnaryAsync<PublishRulePackRequest, RulePack>("PublishRulePack", new()
        {
            OrgUnitId = hn,
            ValidFrom = new CalendarDate { Year = 2026, Month = 7, Day = 1 },
            Name = "Quy định bổ sung tháng 7/2026",
            SourceDocument = "Hướng dẫn 05-HD/TU",
            RulesJson = packs.Items[0].RulesJson,
        }, cityAdmin);
        await ward.RunOkAsync("federation", "sync");
        await leaf.RunOkAsync("federation", "sync");

        var leafAdmin = await AdminAsync(leaf, "HN.BD.CB1");
        using var leafChannel = Enrolment.ChannelTo(leaf, null);
        var leafMembers = new ServiceClient(leafChannel, MembersReflection.Descriptor.Services[0]);
        var atLeaf = await leafMembers.UnaryAsync<ListRulePacksRequest, RulePacks>("ListRulePacks", new(), leafAdmin);
        atLeaf.Items.Select(p => p.Name).Should().Contain("Quy định bổ sung tháng 7/2026");
        (await leaf.Installation.QueryAsync<string>("members", "SELECT \"OriginNode\" FROM member_rule_packs WHERE \"Name\" = 'Quy định bổ sung tháng 7/2026'"))
            .Should().Be("node-hn");
        (await ward.Installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM member_rule_packs WHERE \"OriginNode\" = 'node-hn'")).Should().Be(1);
    }

    /// <summary>A user with the administrator role on <paramref name="org"/>, signed in for RPC.</summary>
    internal static async Task<CallOptions> AdminAsync(FederationNode node, string org)
    {
        var user = "admin." + org.ToLowerInvariant().Replace('.', '-');
        var added = await node.RunOkAsync("users", "add", user, "--name", "Quản trị " + org);
        var password = added.Stdout.Trim().Split('\n').Last().Trim();
        await node.RunOkAsync("users", "grant", user, "admin", "--org", org, "--with-descendants");
        var http = node.Server!.Http;
        (await http.PostAsJsonAsync("/auth/password", new { userName = user, password, newPassword = Committee.NewPassword })).EnsureSuccessStatusCode();
        var token = await http.PostAsJsonAsync("/auth/token", new { userName = user, password = Committee.NewPassword });
        token.EnsureSuccessStatusCode();
        return Committee.Bearer((await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    internal static async Task<string> OrgIdAsync(FederationNode node, string code)
    {
        var orgs = await node.RunOkAsync("org", "list", "--json");
        return JsonDocument.Parse(orgs.Stdout).RootElement.EnumerateArray().Single(o => o.GetProperty("code").GetString() == code).GetProperty("id").GetString()!;
    }
}
