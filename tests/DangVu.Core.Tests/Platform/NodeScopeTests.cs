using DangVu.Core.Hosting;
using DangVu.Core.Platform;
using DangVu.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Platform;

public sealed class NodeScopeTests
{
    private const string Tree = """
        code,name,kind,parent,valid_from,valid_to
        HN,Đảng bộ Thành phố Hà Nội,Đảng bộ tỉnh/thành phố,,2025-07-01,
        HN.BD,Đảng bộ phường Ba Đình,Đảng bộ trực thuộc,HN,2025-07-01,
        HN.BD.CB1,Chi bộ 1,Chi bộ cơ sở,HN.BD,2025-07-01,
        HN.HK,Đảng bộ phường Hoàn Kiếm,Đảng bộ trực thuộc,HN,2025-07-01,
        HN.HK.CB1,Chi bộ 1 Hoàn Kiếm,Chi bộ cơ sở,HN.HK,2025-07-01,
        """;

    [Fact]
    public async Task A_node_owns_the_configured_subtree_and_nothing_above_or_beside_it()
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        await platform.ImportAsync(Tree);
        var scope = Scope(platform, "HN.BD, HN.KHONG");

        (await scope.OwnsAsync(await platform.OrgAsync("HN.BD"))).Should().BeTrue();
        (await scope.OwnsAsync(await platform.OrgAsync("HN.BD.CB1"))).Should().BeTrue();
        (await scope.OwnsAsync(await platform.OrgAsync("HN"))).Should().BeFalse("the city committee's node owns the city");
        (await scope.OwnsAsync(await platform.OrgAsync("HN.HK.CB1"))).Should().BeFalse();
        (await scope.OwnedRootsAsync()).Select(o => o.Code).Should().Equal("HN.BD");
        (await scope.UnknownCodesAsync(CancellationToken.None)).Should().Equal("HN.KHONG");
    }

    [Fact]
    public async Task A_node_without_configuration_owns_its_whole_tree()
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        await platform.ImportAsync(Tree);
        var scope = Scope(platform, null);

        (await scope.OwnsAsync(await platform.OrgAsync("HN.HK.CB1"))).Should().BeTrue();
        (await scope.OwnsAsync(Guid.NewGuid())).Should().BeFalse("an unknown organisation is nobody's here");
        (await scope.OwnedRootsAsync()).Select(o => o.Code).Should().Equal("HN");
    }

    private static NodeScope Scope(PlatformHarness platform, string? owns)
    {
        var home = TestPaths.NewTempDirectory("node");
        var installation = DangVuInstallation.Open(home, new Dictionary<string, string?> { [NodeScope.Setting] = owns });
        return new NodeScope(installation, platform.Storage.Provider!.GetRequiredService<OrganisationDirectory>(), platform.Storage.Provider!.GetRequiredService<IServiceScopeFactory>());
    }
}
