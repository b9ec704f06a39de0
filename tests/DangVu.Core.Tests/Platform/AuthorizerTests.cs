using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Platform;

public sealed class AuthorizerTests
{
    private const string Tree = """
        code,name,kind,parent,valid_from,valid_to
        HN,Đảng bộ Thành phố Hà Nội,Đảng bộ tỉnh/thành phố,,2025-07-01,
        HN.BD,Đảng bộ phường Ba Đình,Đảng bộ trực thuộc,HN,2025-07-01,
        HN.BD.CB1,Chi bộ 1,Chi bộ cơ sở,HN.BD,2025-07-01,
        HN.BD.CB2,Chi bộ 2,Chi bộ cơ sở,HN.BD,2025-07-01,
        """;

    private static readonly PermissionDefinition[] MembersPermissions =
    [
        new("members.read", "Xem đảng viên", "Read members"),
        new("members.write", "Sửa đảng viên", "Write members"),
    ];

    [Theory, StorageProviders]
    public async Task A_role_on_one_chi_bo_allows_there_and_nowhere_else(string provider)
    {
        await using var platform = await StartAsync(provider);
        var lan = await platform.UserAsync("lan.tt", ("secretary", "HN.BD.CB1", false));

        (await AllowedAsync(platform, lan, "members.write", "HN.BD.CB1")).Should().BeTrue();
        (await AllowedAsync(platform, lan, "members.write", "HN.BD.CB2")).Should().BeFalse();
        (await AllowedAsync(platform, lan, "members.write", "HN.BD")).Should().BeFalse("a grant does not reach upwards");
        (await AllowedAsync(platform, lan, "core.users.manage", "HN.BD.CB1")).Should().BeFalse("secretaries do not manage accounts by default");
    }

    [Theory, StorageProviders]
    public async Task A_grant_with_descendants_reaches_every_organisation_below(string provider)
    {
        await using var platform = await StartAsync(provider);
        var ward = await platform.UserAsync("ward", ("committee-member", "HN.BD", true));

        (await AllowedAsync(platform, ward, "members.read", "HN.BD.CB2")).Should().BeTrue();
        (await AllowedAsync(platform, ward, "members.write", "HN.BD.CB2")).Should().BeFalse("committee members read by default");
        var scope = await platform.AsAsync(ward, sp => sp.GetRequiredService<IAuthorizer>().ScopeAsync("members.read"));
        scope.Should().BeEquivalentTo([await platform.OrgAsync("HN.BD"), await platform.OrgAsync("HN.BD.CB1"), await platform.OrgAsync("HN.BD.CB2")]);
    }

    [Fact]
    public async Task Without_any_grant_everything_is_denied_with_a_message_naming_the_organisation()
    {
        await using var platform = await StartAsync("sqlite");
        var nobody = await platform.UserAsync("nobody");
        var cb1 = await platform.OrgAsync("HN.BD.CB1");

        var ensure = async () => await platform.AsAsync(nobody, sp => sp.GetRequiredService<IAuthorizer>().EnsureAllowedAsync("members.read", cb1));

        (await ensure.Should().ThrowAsync<PermissionDeniedException>()).Which.MessageVi.Should().Be("Bạn không có quyền 'members.read' đối với Chi bộ 1");
        (await platform.AsAsync(nobody, sp => sp.GetRequiredService<IAuthorizer>().ScopeAsync("members.read"))).Should().BeEmpty();
        (await platform.AsAsync(new Actor(ActorKind.User, "anonymous"), sp => sp.GetRequiredService<IAuthorizer>().IsAllowedAsync("members.read", cb1))).Should().BeFalse();
    }

    [Fact]
    public async Task An_administrator_is_allowed_everywhere_and_a_disabled_one_nowhere()
    {
        await using var platform = await StartAsync("sqlite");
        var admin = await platform.UserAsync("admin", ("admin", null!, true));
        (await AllowedAsync(platform, admin, "members.write", "HN.BD.CB2")).Should().BeTrue();

        await platform.AsAsync(null, sp => sp.GetRequiredService<DangVu.Core.Identity.UserService>().SetDisabledAsync("admin", true, CancellationToken.None));

        (await AllowedAsync(platform, admin, "members.write", "HN.BD.CB2")).Should().BeFalse();
    }

    [Fact]
    public async Task Granting_where_one_may_not_manage_users_is_refused_and_audited_grants_are_recorded()
    {
        await using var platform = await StartAsync("sqlite");
        var lan = await platform.UserAsync("lan.tt", ("secretary", "HN.BD.CB1", false));
        await platform.UserAsync("binh.lv");

        var grant = async () => await platform.AsAsync(lan, sp => sp.GetRequiredService<DangVu.Core.Authorization.GrantService>().GrantAsync("binh.lv", "secretary", "HN.BD.CB1", false, CancellationToken.None));

        await grant.Should().ThrowAsync<PermissionDeniedException>();
        var audited = await platform.AsAsync(null, async sp => sp.GetRequiredService<DangVu.Core.Platform.CoreDbContext>().AuditTrail.Count(a => a.Operation == "grant"));
        audited.Should().Be(1, "only lan.tt's own grant by the command line");
    }

    private static async Task<PlatformHarness> StartAsync(string provider)
    {
        var platform = await PlatformHarness.StartAsync(provider, MembersPermissions);
        await platform.ImportAsync(Tree);
        return platform;
    }

    private static async Task<bool> AllowedAsync(PlatformHarness platform, Actor actor, string permission, string org)
    {
        var id = await platform.OrgAsync(org);
        return await platform.AsAsync(actor, sp => sp.GetRequiredService<IAuthorizer>().IsAllowedAsync(permission, id));
    }
}
