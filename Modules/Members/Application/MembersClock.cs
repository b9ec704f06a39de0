namespace DangVu.Modules.Members.Application;

/// <summary>
/// Today's date in Vietnam (UTC+7), from the host's time provider, moved by
/// <paramref name="offsetDays"/> (setting <c>Modules:members:ClockOffsetDays</c>, for rehearsing
/// deadlines such as the 12 months of probation on a training installation; 0 in production).
/// </summary>
internal sealed class MembersClock(TimeProvider time, int offsetDays = 0)
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Vietnam).DateTime).AddDays(offsetDays);
}
