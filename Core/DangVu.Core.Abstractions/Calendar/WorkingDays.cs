using System.Collections.Frozen;

namespace DangVu.Core.Abstractions.Calendar;

/// <summary>
/// The node's working calendar (lịch làm việc): deadlines counted in working days (a transfer's
/// 60 days, a denunciation's 90) skip weekends and public holidays, and the holidays are data an
/// administrator loads each year with the Government's decision, not code.
/// </summary>
public interface IWorkingCalendar
{
    Task<WorkingDays> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>How a calendar entry changes a day.</summary>
public enum CalendarDayKind
{
    /// <summary>A weekday not worked: a public holiday (nghỉ lễ, tết) or a compensatory day off (nghỉ bù).</summary>
    DayOff = 0,

    /// <summary>A Saturday or Sunday worked in exchange for a day off (làm bù).</summary>
    WorkingDay = 1,
}

public sealed record CalendarDay(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>A snapshot of the calendar: Monday to Friday are worked unless an entry says otherwise.</summary>
public sealed class WorkingDays
{
    private readonly FrozenDictionary<DateOnly, CalendarDayKind> _entries;

    public WorkingDays(IEnumerable<CalendarDay> days)
    {
        _entries = days.ToFrozenDictionary(d => d.Date, d => d.Kind);
    }

    /// <summary>Weekends only, for a calendar with no entries.</summary>
    public static WorkingDays WeekendsOnly { get; } = new([]);

    public bool IsWorkingDay(DateOnly date) => _entries.TryGetValue(date, out var kind)
        ? kind == CalendarDayKind.WorkingDay
        : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The day on which <paramref name="days"/> working days after <paramref name="start"/> have passed.</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = start;
        for (var added = 0; added < days;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                added++;
            }
        }

        return date;
    }
}
