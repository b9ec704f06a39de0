using DangVu.Core.Abstractions.Calendar;

namespace DangVu.Modules.Members.Tests.Support;

/// <summary>The days off around the tests' dates, as a node's calendar would hold them: New Year's Day and Tết 2027.</summary>
internal sealed class TestCalendar : IWorkingCalendar
{
    public static readonly WorkingDays Days = new(
    [
        new(new DateOnly(2027, 1, 1), CalendarDayKind.DayOff, "Tết Dương lịch"),
        new(new DateOnly(2027, 2, 5), CalendarDayKind.DayOff, "Tết Nguyên đán Đinh Mùi"),
        new(new DateOnly(2027, 2, 8), CalendarDayKind.DayOff, "Tết Nguyên đán Đinh Mùi"),
        new(new DateOnly(2027, 2, 9), CalendarDayKind.DayOff, "Tết Nguyên đán Đinh Mùi"),
        new(new DateOnly(2027, 2, 10), CalendarDayKind.DayOff, "Nghỉ bù Tết Nguyên đán"),
        new(new DateOnly(2027, 2, 11), CalendarDayKind.DayOff, "Nghỉ bù Tết Nguyên đán"),
    ]);

    public Task<WorkingDays> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Days);
}
