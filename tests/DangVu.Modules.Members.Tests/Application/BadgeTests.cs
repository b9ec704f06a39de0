using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class BadgeTests : IAsyncLifetime
{
    private static readonly DateOnly November2026 = new(2026, 11, 7);
    private MembersHost _host = null!;

    public async Task InitializeAsync() => _host = await MembersHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<IReadOnlyList<BadgeCandidate>> Candidates(DateOnly batch) =>
        _host.Run<BadgeService, IReadOnlyList<BadgeCandidate>>(s => s.CandidatesAsync(TestOrganisation.Ward, batch, CancellationToken.None));

    private Task<BadgeAward> Award(Member member, int years, DateOnly batch) =>
        _host.Run<BadgeService, BadgeAward>(s => s.AwardAsync(new AwardBadgeCommand(member.Id, years, batch, "100-QĐ/TU"), CancellationToken.None));

    [Fact]
    public async Task The_batch_list_has_members_reaching_a_badge_year_not_yet_awarded_with_late_ones_flagged()
    {
        var thirty = await _host.RegisterOfficialAsync("Nguyễn Văn Ba Mươi", TestOrganisation.CellA, new DateOnly(1996, 10, 1));
        var fifty = await _host.RegisterOfficialAsync("Trần Thị Năm Mươi", TestOrganisation.CellC, new DateOnly(1976, 5, 1), Gender.Female);
        await _host.RegisterOfficialAsync("Lê Văn Trẻ", TestOrganisation.CellA, new DateOnly(2006, 1, 1));
        var awarded = await _host.RegisterOfficialAsync("Phan Văn Đã Nhận", TestOrganisation.CellB, new DateOnly(1980, 1, 1));
        await Award(awarded, 45, new DateOnly(2025, 2, 3));

        var candidates = await Candidates(November2026);

        candidates.Select(c => (c.Member.Id, c.Years, c.ReachedOn, c.Late)).Should().Equal(
            (fifty.Id, 50, new DateOnly(2026, 5, 1), true),
            (thirty.Id, 30, new DateOnly(2026, 10, 1), false));
    }

    [Fact]
    public async Task An_awarded_badge_leaves_the_list_and_cannot_be_awarded_twice()
    {
        var thirty = await _host.RegisterOfficialAsync("Nguyễn Văn Ba Mươi", TestOrganisation.CellA, new DateOnly(1996, 10, 1));

        await Award(thirty, 30, November2026);

        (await Candidates(November2026)).Should().BeEmpty();
        await ((Func<Task>)(() => Award(thirty, 30, November2026))).RefusedBy("badge.already-awarded");
        var history = await _host.Run<QueryService, IReadOnlyList<HistoryEntry>>(s => s.HistoryAsync(thirty.Id, CancellationToken.None));
        history.Should().Contain(h => h.Action == "badge-awarded" && h.Summary.Contains("30 năm"));
    }

    [Fact]
    public async Task A_badge_before_its_Party_age_is_reached_is_refused()
    {
        var thirty = await _host.RegisterOfficialAsync("Nguyễn Văn Ba Mươi", TestOrganisation.CellA, new DateOnly(1996, 10, 1));
        (await ((Func<Task>)(() => Award(thirty, 40, November2026))).RefusedBy("badge.not-reached")).MessageVi.Should().Contain("01/10/2036");
    }

    [Fact]
    public async Task Badge_years_and_batch_days_come_from_the_rules()
    {
        var thirty = await _host.RegisterOfficialAsync("Nguyễn Văn Ba Mươi", TestOrganisation.CellA, new DateOnly(1996, 10, 1));
        await ((Func<Task>)(() => Award(thirty, 33, November2026))).InvalidField("years");
        await ((Func<Task>)(() => Candidates(new DateOnly(2026, 11, 8)))).InvalidField("batch_date");
    }
}
