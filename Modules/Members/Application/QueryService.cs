using System.Runtime.CompilerServices;
using DangVu.Core.Abstractions.Text;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Application;

/// <summary>Reading: one member, their timeline, search with filters and paging, statistics of a subtree.</summary>
internal sealed class QueryService(MemberAccess access)
{
    public const int MaxPageSize = 500;

    /// <summary>A search counts its matches up to this many; beyond, the result says "more than".</summary>
    public const int CountCap = 1000;

    /// <summary>
    /// A name search among at most this many visible members (a chi bộ, a small committee) reads them through
    /// the organisation indexes and checks each name: the name index would go through every match in the tree.
    /// </summary>
    public const int SmallScope = 5000;

    /// <summary>
    /// The names a name-ordered search reads first, then four times as many each time (at most
    /// <see cref="MaxNameBatch"/>): a common part fills the count from its first names (58 members each in the
    /// benchmark), a rare one or a narrow filter reads on.
    /// </summary>
    private const int FirstNameBatch = 64;

    private const int MaxNameBatch = 1024;

    public async Task<Member> GetAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Read, memberId, 0, cancellationToken);
        access.Db.Entry(member).State = EntityState.Detached;
        return member;
    }

    /// <summary>The member's timeline, oldest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(Guid memberId, CancellationToken cancellationToken)
    {
        await access.LoadAsync(MembersPermissions.Read, memberId, 0, cancellationToken);
        return await access.Db.History.AsNoTracking().Where(h => h.MemberId == memberId)
            .OrderBy(h => h.At).ThenBy(h => h.Id)
            .ToListAsync(cancellationToken);
    }

    public async Task<SearchResult> SearchAsync(MemberSearch search, CancellationToken cancellationToken)
    {
        if (search.Page < 1)
        {
            throw Refuse.Field("page", "Trang bắt đầu từ 1.", "Pages start at 1.");
        }

        if (search.PageSize is < 1 or > MaxPageSize)
        {
            throw Refuse.Field("page_size", $"Mỗi trang từ 1 đến {MaxPageSize} dòng.", $"A page holds 1 to {MaxPageSize} rows.");
        }

        // One read of the matches up to the cap (or the end of the page asked for) gives their number and,
        // when they are all, the rows the page is sorted from: the names are searched once.
        var visible = await access.VisibilityAsync(MembersPermissions.Read, search.OrgUnitId, cancellationToken, includeTemporary: true);
        var limit = Math.Max(CountCap, search.Page * search.PageSize);
        var skip = (search.Page - 1) * search.PageSize;
        var text = (search.Text ?? "").Trim();
        var (source, byNames) = await SourceAsync(text, visible, cancellationToken);
        if (byNames && search.Sort == MemberSort.Name)
        {
            return await ByNamesInOrderAsync(search, visible, VietnameseText.Fold(text), limit, skip, cancellationToken);
        }

        var matches = await Filter(search, visible, source).Take(limit + 1).Select(m => m.Id).ToListAsync(cancellationToken);
        if (matches.Count <= limit)
        {
            var few = access.Db.Members.AsNoTracking().Where(m => matches.Contains(m.Id));
            return new SearchResult(matches.Count, await Summaries(Sort(few, search, byIndex: false).Skip(skip).Take(search.PageSize)).ToListAsync(cancellationToken), false);
        }

        // More than the cap: with a name part (another order than the name) its matches are sorted; without one
        // the order's index is read with the filters.
        var sorted = Sort(Filter(search, visible, source), search, byIndex: text.Length == 0);
        return new SearchResult(limit, await Summaries(sorted.Skip(skip).Take(search.PageSize)).ToListAsync(cancellationToken), true);
    }

    /// <summary>
    /// A name part in the name order over a large scope: the distinct names containing the part are read in that
    /// order a batch at a time (a few first, more each time), and the visible members bearing them are counted in
    /// the database until one more than the count's limit is found or the names end; the page is read from the
    /// batch it falls in. The members read are the page's and the count's and no others, however many the part
    /// matches ("hung": 20,851 members, 360 names).
    /// </summary>
    private async Task<SearchResult> ByNamesInOrderAsync(MemberSearch search, MemberVisibility visible, string folded, int limit, int skip, CancellationToken cancellationToken)
    {
        var counted = 0;
        var page = new List<MemberSummary>();
        string? last = null;
        for (var batch = FirstNameBatch; ; batch = Math.Min(batch * 4, MaxNameBatch))
        {
            var sql = MembersSearchIndex.MatchingNames(access.Db.Schema, search.Descending, first: last is null);
            object[] arguments = last is null ? [folded, batch] : [folded, batch, last];
            var names = await access.Db.Database.SqlQueryRaw<string>(sql, arguments).ToListAsync(cancellationToken);
            if (names.Count == 0)
            {
                break;
            }

            var bearers = Filter(search, visible, access.Db.Members.Where(m => names.Contains(m.SortName) && m.SearchName.Contains(folded)));
            var here = await bearers.Take(limit + 1 - counted).CountAsync(cancellationToken);
            if (page.Count < search.PageSize && counted + here > skip + page.Count)
            {
                var from = skip + page.Count - counted;
                page.AddRange(await Summaries(Sort(bearers, search).Skip(from).Take(search.PageSize - page.Count)).ToListAsync(cancellationToken));
            }

            counted += here;
            if (counted > limit || names.Count < batch)
            {
                break;
            }

            last = names[^1];
        }

        return new SearchResult(Math.Min(counted, limit), page, counted > limit);
    }

    /// <summary>Every match of the search, in order, for streaming (paging ignored).</summary>
    public async IAsyncEnumerable<MemberSummary> StreamAsync(MemberSearch search, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var visible = await access.VisibilityAsync(MembersPermissions.Read, search.OrgUnitId, cancellationToken, includeTemporary: true);
        var (source, _) = await SourceAsync((search.Text ?? "").Trim(), visible, cancellationToken);
        var query = Filter(search, visible, source);
        await foreach (var item in Summaries(Sort(query, search))
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>
    /// Counts for the members on the rolls of the subtree (by status: every member of it), by
    /// gender, age band, ethnicity, religion, general education, political theory and Party age band.
    /// Aggregates include classified files (no one is named) and count a member where their file
    /// is kept, not where they take part on a temporary transfer.
    /// </summary>
    public async Task<MemberStatistics> StatisticsAsync(Guid orgUnitId, DateOnly asOf, CancellationToken cancellationToken)
    {
        var units = await access.VisibleUnitsAsync(MembersPermissions.Read, orgUnitId, cancellationToken);
        DateOnly Reached(int years) => Dates.LatestReaching(years, asOf);
        var (a31, a41, a51, a61, a71) = (Reached(31), Reached(41), Reached(51), Reached(61), Reached(71));
        var (p10, p20, p30, p40, p50) = (Reached(10), Reached(20), Reached(30), Reached(40), Reached(50));

        // One pass over the covering statistics index, counting each age and Party-age band inside
        // a group (a band is a range of dates, bounded by the latest date that reaches the band's
        // first full year). SQLite groups by sorting unless the groups follow the index, so there
        // the organisation leads the key and the groups stream in index order; PostgreSQL hashes
        // the groups, and fewer of them (no organisation) are cheaper.
        var members = access.Db.Members.AsNoTracking().Where(m => units.Contains(m.OwnerOrgUnitId));
        var grouped = access.Db.Schema is null // SQLite (PostgreSQL keeps each module in its schema)
            ? members.GroupBy(m => new StatisticsKey { Unit = m.OwnerOrgUnitId, Status = m.Status, Gender = m.Gender, EthnicityCode = m.EthnicityCode, ReligionCode = m.ReligionCode, GeneralEducation = m.GeneralEducation, TheoryLevel = m.TheoryLevel })
            : members.GroupBy(m => new StatisticsKey { Status = m.Status, Gender = m.Gender, EthnicityCode = m.EthnicityCode, ReligionCode = m.ReligionCode, GeneralEducation = m.GeneralEducation, TheoryLevel = m.TheoryLevel });
        var groups = await grouped
            .Select(g => new
            {
                g.Key.Status,
                g.Key.Gender,
                g.Key.EthnicityCode,
                g.Key.ReligionCode,
                g.Key.GeneralEducation,
                g.Key.TheoryLevel,
                Count = g.Count(),
                Age30 = g.Count(m => m.DateOfBirth > a31),
                Age40 = g.Count(m => m.DateOfBirth <= a31 && m.DateOfBirth > a41),
                Age50 = g.Count(m => m.DateOfBirth <= a41 && m.DateOfBirth > a51),
                Age60 = g.Count(m => m.DateOfBirth <= a51 && m.DateOfBirth > a61),
                Age70 = g.Count(m => m.DateOfBirth <= a61 && m.DateOfBirth > a71),
                Party0 = g.Count(m => m.AdmissionDate > p10),
                Party10 = g.Count(m => m.AdmissionDate <= p10 && m.AdmissionDate > p20),
                Party20 = g.Count(m => m.AdmissionDate <= p20 && m.AdmissionDate > p30),
                Party30 = g.Count(m => m.AdmissionDate <= p30 && m.AdmissionDate > p40),
                Party40 = g.Count(m => m.AdmissionDate <= p40 && m.AdmissionDate > p50),
            })
            .ToListAsync(cancellationToken);
        var onRollsGroups = groups.Where(g => g.Status.IsOnRolls()).ToList();
        Dictionary<string, int> Count(IEnumerable<(string Key, int Count)> rows) => rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var byStatus = Count(groups.Select(g => (g.Status.ToString(), g.Count)));
        var byGender = Count(onRollsGroups.Select(g => (g.Gender.ToString(), g.Count)));
        var byEthnicity = Count(onRollsGroups.Select(g => (g.EthnicityCode, g.Count)));
        var byReligion = Count(onRollsGroups.Select(g => (g.ReligionCode, g.Count)));
        var byEducation = Count(onRollsGroups.Select(g => (g.GeneralEducation, g.Count)));
        var byTheory = Count(onRollsGroups.Select(g => (g.TheoryLevel.ToString(), g.Count)));
        // A representative age of each band (AgeBand / PartyAgeBand name it); the oldest band is what remains.
        var byAge = Count(onRollsGroups.SelectMany(g => new[]
        {
            (AgeBand(30), g.Age30), (AgeBand(40), g.Age40), (AgeBand(50), g.Age50), (AgeBand(60), g.Age60), (AgeBand(70), g.Age70),
            (AgeBand(71), g.Count - g.Age30 - g.Age40 - g.Age50 - g.Age60 - g.Age70),
        }).Where(b => b.Item2 > 0));
        var byPartyAge = Count(onRollsGroups.SelectMany(g => new[]
        {
            (PartyAgeBand(0), g.Party0), (PartyAgeBand(10), g.Party10), (PartyAgeBand(20), g.Party20), (PartyAgeBand(30), g.Party30), (PartyAgeBand(40), g.Party40),
            (PartyAgeBand(50), g.Count - g.Party0 - g.Party10 - g.Party20 - g.Party30 - g.Party40),
        }).Where(b => b.Item2 > 0));
        return new MemberStatistics(byGender.Values.Sum(), byStatus, byGender, byAge, byEthnicity, byReligion, byEducation, byTheory, byPartyAge);
    }

    /// <summary>The group of the statistics' one pass (<see cref="Unit"/> only where grouping follows the index).</summary>
    private sealed class StatisticsKey
    {
        public Guid Unit { get; init; }

        public MemberStatus Status { get; init; }

        public Gender Gender { get; init; }

        public string EthnicityCode { get; init; } = "";

        public string ReligionCode { get; init; } = "";

        public string GeneralEducation { get; init; } = "";

        public TheoryLevel TheoryLevel { get; init; }
    }

    public static string AgeBand(int age) => age switch
    {
        <= 30 => "<=30",
        <= 40 => "31-40",
        <= 50 => "41-50",
        <= 60 => "51-60",
        <= 70 => "61-70",
        _ => ">70",
    };

    public static string PartyAgeBand(int years) => years switch
    {
        < 10 => "<10",
        < 20 => "10-19",
        < 30 => "20-29",
        < 40 => "30-39",
        < 50 => "40-49",
        _ => ">=50",
    };

    private static IQueryable<MemberSummary> Summaries(IQueryable<Member> members) =>
        members.Select(m => new MemberSummary(m.Id, m.FullName, m.Gender, m.DateOfBirth, m.OwnerOrgUnitId, m.Status, m.CitizenId, m.CardNumber, m.AdmissionDate) { OriginNode = m.OriginNode });

    /// <summary>Names have no digits: a text with one is a CCCD, card or file number.</summary>
    private static bool IsNumber(string text) => text.Any(char.IsAsciiDigit);

    /// <summary>
    /// The members a search starts from: every member, or those whose folded name contains the text, through
    /// the names (<paramref name="byNames"/>) unless the caller sees few members (<see cref="SmallScope"/>, a
    /// capped count on the organisation indexes).
    /// </summary>
    private async Task<(IQueryable<Member> Source, bool ByNames)> SourceAsync(string text, MemberVisibility visible, CancellationToken cancellationToken)
    {
        if (text.Length == 0 || IsNumber(text))
        {
            return (access.Db.Members, false);
        }

        var folded = VietnameseText.Fold(text);
        var few = await access.Db.Members.Where(visible.InUnits).Take(SmallScope + 1).CountAsync(cancellationToken) <= SmallScope;
        return few
            ? (access.Db.Members.Where(visible.InUnits).Where(m => m.SearchName.Contains(folded)), false)
            : (access.Db.Members.FromSqlRaw(MembersSearchIndex.MembersOfMatchingNames(access.Db.Schema), folded).Where(m => m.SearchName.Contains(folded)), true);
    }

    /// <summary>The visible members of <paramref name="source"/> that pass the search's number and filters.</summary>
    private IQueryable<Member> Filter(MemberSearch s, MemberVisibility visible, IQueryable<Member> source)
    {
        var text = (s.Text ?? "").Trim();
        var byNumber = IsNumber(text);
        var query = visible.Filter(source);
        var asOf = s.AsOf ?? access.Today;
        if (byNumber)
        {
            // Names have no digits: a CCCD, card or file number, each found through its unique index.
            query = query.Where(m => m.CitizenId == text || m.CardNumber == text || m.FileNumber == text);
        }

        if (s.Statuses is { Count: > 0 } statuses)
        {
            var list = statuses.ToList();
            query = query.Where(m => list.Contains(m.Status));
        }

        if (s.Gender is { } gender)
        {
            query = query.Where(m => m.Gender == gender);
        }

        if (s.AgeFrom is { } ageFrom)
        {
            var bornBy = asOf.AddYears(-ageFrom);
            query = query.Where(m => m.DateOfBirth <= bornBy);
        }

        if (s.AgeTo is { } ageTo)
        {
            var bornAfter = asOf.AddYears(-(ageTo + 1));
            query = query.Where(m => m.DateOfBirth > bornAfter);
        }

        if (s.PartyAgeFrom is { } partyFrom)
        {
            var admittedBy = asOf.AddYears(-partyFrom);
            query = query.Where(m => m.AdmissionDate <= admittedBy);
        }

        if (s.PartyAgeTo is { } partyTo)
        {
            var admittedAfter = asOf.AddYears(-(partyTo + 1));
            query = query.Where(m => m.AdmissionDate > admittedAfter);
        }

        if (!string.IsNullOrWhiteSpace(s.EthnicityCode))
        {
            query = query.Where(m => m.EthnicityCode == s.EthnicityCode);
        }

        if (!string.IsNullOrWhiteSpace(s.ReligionCode))
        {
            query = query.Where(m => m.ReligionCode == s.ReligionCode);
        }

        if (s.TheoryLevel is { } theory)
        {
            query = query.Where(m => m.TheoryLevel == theory);
        }

        if (!string.IsNullOrWhiteSpace(s.GeneralEducation))
        {
            query = query.Where(m => m.GeneralEducation == s.GeneralEducation);
        }

        return query;
    }

    /// <summary>
    /// The search's order. <paramref name="byIndex"/> false sorts the name by an expression no index serves:
    /// for a set of matches already found, both databases would otherwise read the whole name index for them.
    /// </summary>
    private static IQueryable<Member> Sort(IQueryable<Member> query, MemberSearch s, bool byIndex = true) => (s.Sort, s.Descending, byIndex) switch
    {
        (MemberSort.DateOfBirth, false, _) => query.OrderBy(m => m.DateOfBirth).ThenBy(m => m.Id),
        (MemberSort.DateOfBirth, true, _) => query.OrderByDescending(m => m.DateOfBirth).ThenBy(m => m.Id),
        (MemberSort.AdmissionDate, false, _) => query.OrderBy(m => m.AdmissionDate).ThenBy(m => m.Id),
        (MemberSort.AdmissionDate, true, _) => query.OrderByDescending(m => m.AdmissionDate).ThenBy(m => m.Id),
        (_, false, true) => query.OrderBy(m => m.SortName).ThenBy(m => m.Id),
        (_, true, true) => query.OrderByDescending(m => m.SortName).ThenBy(m => m.Id),
        (_, false, false) => query.OrderBy(m => m.SortName + "").ThenBy(m => m.Id),
        (_, true, false) => query.OrderByDescending(m => m.SortName + "").ThenBy(m => m.Id),
    };
}
