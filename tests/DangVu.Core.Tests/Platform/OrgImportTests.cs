using DangVu.Core.Platform;
using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Platform;

public sealed class OrgImportTests
{
    private const string Tree = """
        code,name,kind,parent,valid_from,valid_to
        HN,Đảng bộ Thành phố Hà Nội,Đảng bộ tỉnh/thành phố,,2025-07-01,
        HN.BD,Đảng bộ phường Ba Đình,Dang bo truc thuoc,HN,01/07/2025,
        HN.BD.CB1,"Chi bộ Khu dân cư số 1, tổ 3",Chi bộ cơ sở,HN.BD,2025-07-01,
        HN.CQ,Đảng bộ cơ sở Sở Tư pháp,Đảng bộ cơ sở,HN,2025-07-01,
        HN.CQ.BP,Đảng bộ bộ phận Phòng 1,Đảng bộ bộ phận,HN.CQ,2025-07-01,
        HN.CQ.BP.CB,Chi bộ Tổ 1,Chi bộ trực thuộc,HN.CQ.BP,2025-07-01,
        HN.CU,Chi bộ phường cũ,Chi bộ cơ sở,HN,2020-01-01,2025-07-01
        """;

    [Theory, StorageProviders]
    public async Task A_whole_tree_imports_with_its_history_and_dissolved_units(string provider)
    {
        await using var platform = await PlatformHarness.StartAsync(provider);

        await platform.ImportAsync(Tree);

        var directory = platform.Storage.Provider!.GetRequiredService<OrganisationDirectory>();
        var hanoi = await platform.OrgAsync("HN");
        (await directory.SubtreeAsync(hanoi)).Should().HaveCount(7);
        (await directory.AncestryAsync(await platform.OrgAsync("HN.CQ.BP.CB"))).Select(o => o.Code).Should().Equal("HN.CQ.BP.CB", "HN.CQ.BP", "HN.CQ", "HN");
        var dissolved = await directory.FindByCodeAsync("HN.CU");
        dissolved!.IsActiveOn(new DateOnly(2026, 1, 1)).Should().BeFalse();
        dissolved.IsActiveOn(new DateOnly(2024, 1, 1)).Should().BeTrue();
        (await directory.FindByCodeAsync("HN.BD.CB1"))!.NameVi.Should().Be("Chi bộ Khu dân cư số 1, tổ 3");
    }

    [Theory, StorageProviders]
    public async Task An_import_with_errors_lists_every_one_by_line_and_saves_nothing(string provider)
    {
        await using var platform = await PlatformHarness.StartAsync(provider);
        const string broken = """
            code,name,kind,parent,valid_from,valid_to
            HN,Đảng bộ Thành phố Hà Nội,Đảng bộ tỉnh/thành phố,,2025-07-01,
            HN.X,Không loại,Ban chấp hành,HN,2025-07-01,
            HN.Y,Không cấp trên,Chi bộ cơ sở,HN.KHONG,2025-07-01,
            HN.Z,Sai ngày,Chi bộ cơ sở,HN,31/02/2025,
            HN,Trùng mã,Chi bộ cơ sở,HN,2025-07-01,
            HN.CB,Chi bộ sai cấp,Chi bộ trực thuộc,HN,2025-07-01,
            """;

        var import = async () => await platform.ImportAsync(broken);

        var errors = (await import.Should().ThrowAsync<OrgImportException>()).Which.Errors;
        errors.Should().Contain(e => e.StartsWith("Dòng 3:") && e.Contains("loại 'Ban chấp hành' không có"));
        errors.Should().Contain(e => e.StartsWith("Dòng 4:") && e.Contains("'HN.KHONG' không có"));
        errors.Should().Contain(e => e.StartsWith("Dòng 5:") && e.Contains("ngày bắt đầu '31/02/2025' không hợp lệ"));
        errors.Should().Contain(e => e.StartsWith("Dòng 2, 6:") && e.Contains("lặp lại"));
        errors.Should().Contain(e => e.StartsWith("Dòng 7:") && e.Contains("Chi bộ trực thuộc không thể trực thuộc Đảng bộ tỉnh/thành phố"));
        await platform.AsAsync(null, async sp => (await sp.GetRequiredService<CoreDbContext>().OrgUnits.CountAsync()).Should().Be(0));
    }

    [Theory, StorageProviders]
    public async Task Importing_again_updates_by_code_instead_of_duplicating(string provider)
    {
        await using var platform = await PlatformHarness.StartAsync(provider);
        await platform.ImportAsync(Tree);

        await platform.ImportAsync(Tree.Replace("Đảng bộ phường Ba Đình", "Đảng bộ phường Ba Đình (mới)"));

        var directory = platform.Storage.Provider!.GetRequiredService<OrganisationDirectory>();
        (await directory.AllAsync()).Should().HaveCount(7);
        (await directory.FindByCodeAsync("HN.BD"))!.NameVi.Should().Be("Đảng bộ phường Ba Đình (mới)");
    }

    [Fact]
    public async Task A_parent_cycle_is_refused()
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        await platform.ImportAsync(Tree);
        const string cycle = """
            code,name,kind,parent,valid_from,valid_to
            HN.CQ,Đảng bộ cơ sở Sở Tư pháp,Đảng bộ cơ sở,HN.CQ.BP,2025-07-01,
            """;

        var import = async () => await platform.ImportAsync(cycle);

        (await import.Should().ThrowAsync<OrgImportException>()).Which.Errors.Should().Contain(e => e.Contains("không thể trực thuộc") || e.Contains("vòng lặp"));
    }
}
