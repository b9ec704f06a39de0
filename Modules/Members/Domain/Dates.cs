namespace DangVu.Modules.Members.Domain;

internal static class Dates
{
    /// <summary>
    /// The latest date from which <paramref name="years"/> full years are complete on <paramref name="on"/>
    /// (<see cref="FullYears"/> ≥ years exactly for the dates up to it): a 29 February counts its
    /// years on 28 February of a common year.
    /// </summary>
    public static DateOnly LatestReaching(int years, DateOnly on)
    {
        var latest = on.AddYears(-years);
        return FullYears(latest.AddDays(1), on) >= years ? latest.AddDays(1) : latest;
    }

    /// <summary>Whole years from <paramref name="from"/> to <paramref name="to"/> (age, Party age).</summary>
    public static int FullYears(DateOnly from, DateOnly to)
    {
        var years = to.Year - from.Year;
        if (to < from.AddYears(years))
        {
            years--;
        }

        return years;
    }

    /// <summary>A month as one sortable number, yyyyMM.</summary>
    public static int Period(int year, int month) => year * 100 + month;

    public static int Period(DateOnly date) => Period(date.Year, date.Month);

    public static DateOnly FirstDay(int period) => new(period / 100, period % 100, 1);

    public static DateOnly LastDay(int period) => FirstDay(period).AddMonths(1).AddDays(-1);

    public static int NextPeriod(int period) => Period(FirstDay(period).AddMonths(1));

    public static bool IsValidPeriod(int year, int month) => year is >= 1930 and <= 2200 && month is >= 1 and <= 12;
}
