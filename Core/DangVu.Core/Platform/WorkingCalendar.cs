using DangVu.Core.Abstractions.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Platform;

/// <summary>A day of the calendar table: a weekday off or a weekend day worked.</summary>
internal sealed class CalendarDayRecord
{
    public DateOnly Date { get; set; }

    public CalendarDayKind Kind { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>The calendar held in memory (a few dozen days a year), reloaded after an import.</summary>
internal sealed class WorkingCalendar(IServiceScopeFactory scopes) : IWorkingCalendar
{
    private volatile WorkingDays? _snapshot;

    public async Task<WorkingDays> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_snapshot is { } snapshot)
        {
            return snapshot;
        }

        snapshot = new WorkingDays(await ListAsync(null, cancellationToken));
        _snapshot = snapshot;
        return snapshot;
    }

    /// <summary>The entries, of one year or all, by date.</summary>
    public async Task<IReadOnlyList<CalendarDay>> ListAsync(int? year, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoreDbContext>();
        var query = db.CalendarDays.AsNoTracking();
        if (year is { } y)
        {
            query = query.Where(d => d.Date >= new DateOnly(y, 1, 1) && d.Date <= new DateOnly(y, 12, 31));
        }

        return (await query.ToListAsync(cancellationToken))
            .OrderBy(d => d.Date)
            .Select(d => new CalendarDay(d.Date, d.Kind, d.Name))
            .ToList();
    }

    /// <summary>Called after the calendar changed.</summary>
    public void Invalidate() => _snapshot = null;
}
