namespace DangVu.Modules.Members.Application;

/// <summary>Today's date in Vietnam (UTC+7), from the host's time provider.</summary>
internal sealed class MembersClock(TimeProvider time)
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Vietnam).DateTime);
}
