using DangVu.Core.Abstractions.Calendar;
using DangVu.Core.Platform;
using DangVu.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Platform;

public sealed class WorkingDaysTests
{
    private static readonly WorkingDays Tet2025 = new(
    [
        new(new DateOnly(2025, 1, 27), CalendarDayKind.DayOff, "Tết"),
        new(new DateOnly(2025, 1, 28), CalendarDayKind.DayOff, "Tết"),
        new(new DateOnly(2025, 1, 29), CalendarDayKind.DayOff, "Tết"),
        new(new DateOnly(2025, 1, 30), CalendarDayKind.DayOff, "Tết"),
        new(new DateOnly(2025, 1, 31), CalendarDayKind.DayOff, "Tết"),
        new(new DateOnly(2025, 4, 26), CalendarDayKind.WorkingDay, "Làm bù"),
    ]);

    [Fact]
    public void Without_entries_only_weekends_are_off()
    {
        // Friday 20/11/2026 + 1 working day is Monday 23/11; + 60 working days is twelve weeks on.
        WorkingDays.WeekendsOnly.AddWorkingDays(new DateOnly(2026, 11, 20), 1).Should().Be(new DateOnly(2026, 11, 23));
        WorkingDays.WeekendsOnly.AddWorkingDays(new DateOnly(2026, 11, 20), 60).Should().Be(new DateOnly(2027, 2, 12));
    }

    [Fact]
    public void Days_off_are_skipped_and_a_make_up_saturday_counts()
    {
        Tet2025.IsWorkingDay(new DateOnly(2025, 1, 29)).Should().BeFalse();
        Tet2025.IsWorkingDay(new DateOnly(2025, 4, 26)).Should().BeTrue("a Saturday worked in exchange counts");
        Tet2025.IsWorkingDay(new DateOnly(2025, 4, 27)).Should().BeFalse();

        // Friday 24/1/2025 + 1 working day: the whole Tết week is off, so Monday 3/2.
        Tet2025.AddWorkingDays(new DateOnly(2025, 1, 24), 1).Should().Be(new DateOnly(2025, 2, 3));
        // Friday 25/4/2025 + 1 working day is the make-up Saturday 26/4.
        Tet2025.AddWorkingDays(new DateOnly(2025, 4, 25), 1).Should().Be(new DateOnly(2025, 4, 26));
    }

    [Fact]
    public void A_negative_count_is_refused() =>
        ((Action)(() => WorkingDays.WeekendsOnly.AddWorkingDays(new DateOnly(2026, 1, 1), -1))).Should().Throw<ArgumentOutOfRangeException>();
}

public sealed class WorkingCalendarTests
{
    [Theory, StorageProviders]
    public async Task A_new_installation_knows_the_statutory_days_off_it_ships_with(string provider)
    {
        await using var platform = await PlatformHarness.StartAsync(provider);
        var days = await Calendar(platform).GetAsync();

        days.IsWorkingDay(new DateOnly(2026, 2, 17)).Should().BeFalse("Tết Bính Ngọ");
        days.IsWorkingDay(new DateOnly(2026, 4, 27)).Should().BeFalse("Giỗ Tổ falls on a Sunday in 2026, so the Monday is off");
        days.IsWorkingDay(new DateOnly(2026, 9, 2)).Should().BeFalse("Quốc khánh");
        days.IsWorkingDay(new DateOnly(2026, 9, 4)).Should().BeTrue();
        (await Calendar(platform).ListAsync(2026)).Should().OnlyContain(d => d.Date.Year == 2026).And.HaveCount(11);
    }

    [Theory, StorageProviders]
    public async Task An_import_replaces_the_years_it_names_and_keeps_the_others(string provider)
    {
        await using var platform = await PlatformHarness.StartAsync(provider);
        const string decision2026 = """
            ngày,loại,tên
            2026-01-01,nghỉ,Tết Dương lịch
            02/01/2026,nghỉ,Nghỉ hoán đổi
            2026-01-10,làm bù,Làm bù cho ngày 02/01
            """;

        var (years, count) = await ImportAsync(platform, decision2026);

        years.Should().Equal(2026);
        count.Should().Be(3);
        var days = await Calendar(platform).GetAsync();
        days.IsWorkingDay(new DateOnly(2026, 1, 2)).Should().BeFalse();
        days.IsWorkingDay(new DateOnly(2026, 1, 10)).Should().BeTrue();
        days.IsWorkingDay(new DateOnly(2026, 2, 17)).Should().BeTrue("the 2026 list was replaced by the file, which has no Tết");
        days.IsWorkingDay(new DateOnly(2025, 1, 29)).Should().BeFalse("2025 was not in the file and is kept");
        (await Calendar(platform).ListAsync(2026)).Should().HaveCount(3);
    }

    [Theory, StorageProviders]
    public async Task A_file_with_errors_lists_each_by_line_and_changes_nothing(string provider)
    {
        await using var platform = await PlatformHarness.StartAsync(provider);
        const string broken = """
            date,kind,name
            2026-01-01,nghỉ,Tết Dương lịch
            2026-02-30,nghỉ,Ngày không có
            2026-03-02,nghỉ lễ,Loại sai
            2026-03-07,nghỉ,Thứ Bảy đã nghỉ
            2026-03-09,làm bù,Thứ Hai không làm bù
            2026-01-01,nghỉ,Trùng ngày
            2026-03-10,nghỉ,
            2026-03-11,nghỉ
            """;

        var errors = (await ((Func<Task>)(() => ImportAsync(platform, broken))).Should().ThrowAsync<CalendarImportException>()).Which.Errors;

        errors.Should().HaveCount(7);
        errors.Should().Contain(e => e.StartsWith("Dòng 3:") && e.Contains("'2026-02-30' không hợp lệ"));
        errors.Should().Contain(e => e.StartsWith("Dòng 4:") && e.Contains("'nghỉ lễ' không có"));
        errors.Should().Contain(e => e.StartsWith("Dòng 5:") && e.Contains("ngày nghỉ cuối tuần"));
        errors.Should().Contain(e => e.StartsWith("Dòng 6:") && e.Contains("không phải thứ Bảy hay Chủ nhật"));
        errors.Should().Contain(e => e.StartsWith("Dòng 7:") && e.Contains("đã có ở dòng 2"));
        errors.Should().Contain(e => e.StartsWith("Dòng 8:") && e.Contains("tên trống"));
        errors.Should().Contain(e => e.StartsWith("Dòng 9:") && e.Contains("2 cột"));
        (await Calendar(platform).ListAsync(2026)).Should().HaveCount(11, "the shipped days stand");
    }

    [Theory]
    [InlineData("")]
    [InlineData("date,kind,name\n")]
    [InlineData("day,type,label\n2026-01-01,nghỉ,Tết")]
    public async Task An_empty_file_or_a_wrong_header_is_refused(string csv)
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        await ((Func<Task>)(() => ImportAsync(platform, csv))).Should().ThrowAsync<CalendarImportException>();
    }

    private static WorkingCalendar Calendar(PlatformHarness platform) => platform.Storage.Provider!.GetRequiredService<WorkingCalendar>();

    private static Task<(IReadOnlyList<int> Years, int Days)> ImportAsync(PlatformHarness platform, string csv) =>
        platform.AsAsync(null, sp => sp.GetRequiredService<CalendarImporter>().ImportAsync(new StringReader(csv), CancellationToken.None));
}
