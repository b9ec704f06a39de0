using System.Runtime.CompilerServices;
using DangVu.Core.Abstractions.Text;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Modules.Members.Application;

/// <summary>Reading: one member, their timeline, search with filters and paging, statistics of a subtree.</summary>
internal sealed class QueryService(MemberAccess access, IServiceScopeFactory scopes)
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
    /// The names a name-ordered search on SQLite reads first, then four times as many each time (at most
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
        var member = await access.LoadAsync(MembersPermissions.Read, memberId, 0, cancellationToken);
        var stored = await access.Db.History.AsNoTracking().Where(h => h.MemberId == memberId)
            .OrderBy(h => h.At).ThenBy(h => h.Id)
            .ToListAsync(cancellationToken);
        return member.ImportedEntry() is { } imported ? [imported, .. stored] : stored;
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
        var byName = search.Sort == MemberSort.Name && text.Length > 0 && !IsNumber(text);
        if (byName && access.Db.Schema is not null && await ByNamesOnceAsync(search, visible, VietnameseText.Fold(text), limit, skip, cancellationToken) is { } found)
        {
            return found;
        }

        var (source, byNames) = await SourceAsync(text, visible, cancellationToken);
        if (byNames && byName)
        {
            // On PostgreSQL the names' statement found no one in this large scope.
            return access.Db.Schema is null
                ? await ByNameBatchesAsync(search, visible, VietnameseText.Fold(text), limit, skip, cancellationToken)
                : new SearchResult(0, [], false);
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
    /// A name part in the name order over a large scope reads the visible members bearing the names that contain
    /// the part, in that order, up to one more than the count's limit; the page is read from them. The members read
    /// are the count's and no others, however many the part matches ("hung": 20,851 members, 360 names).
    /// PostgreSQL, in one statement: the names containing the part in the name order (a nested loop, which stops at
    /// the limit), and for each one its visible bearers through the name index, in the id order. The bearers of a
    /// name are those with both its sort name and its folded name (a folded name with other names differs), so no
    /// name is checked again. <c>+ ""</c> keeps the limit inside the loop: on a plain column EF turns a limit per
    /// name into a window over every member. The statement reads no name unless the caller sees more than
    /// <see cref="SmallScope"/> members (counted once, before the loop), so a large scope costs no round trip for
    /// that count; null when it found no one (a small scope, or no match), which the count then tells apart.
    /// </summary>
    private async Task<SearchResult?> ByNamesOnceAsync(MemberSearch search, MemberVisibility visible, string folded, int limit, int skip, CancellationToken cancellationToken)
    {
        var visibleMembers = Filter(search, visible, access.Db.Members);
        var scope = SmallScopeProbe(visible);
        var hits = access.Db.Database.SqlQueryRaw<MemberName>(MembersSearchIndex.PostgresNamesContaining(access.Db.Schema!), folded)
            .Where(_ => scope.Count() > SmallScope)
            .SelectMany(
                n => visibleMembers.Where(m => m.SortName == n.SortName + "" && m.SearchName == n.SearchName).OrderBy(m => m.Id).Take(limit + 1),
                (n, m) => new { n.SortName, m.Id });
        var ordered = search.Descending ? hits.OrderByDescending(h => h.SortName) : hits.OrderBy(h => h.SortName);
        var matches = await ordered.ThenBy(h => h.Id).Select(h => h.Id).Take(limit + 1).ToListAsync(cancellationToken);
        if (matches.Count == 0)
        {
            return null;
        }

        var page = matches.Skip(skip).Take(search.PageSize).ToList();
        var rows = access.Db.Members.AsNoTracking().Where(m => page.Contains(m.Id));
        return new SearchResult(Math.Min(matches.Count, limit), await Summaries(Sort(rows, search, byIndex: false)).ToListAsync(cancellationToken), matches.Count > limit);
    }

    /// <summary>
    /// SQLite has no lateral join: after the small-scope count, the distinct names containing the part are read in the name order a batch at a
    /// time (a few first, more each time), and the visible members bearing them are counted until one more than the
    /// count's limit is found or the names end; the page is read from the batch it falls in.
    /// </summary>
    private async Task<SearchResult> ByNameBatchesAsync(MemberSearch search, MemberVisibility visible, string folded, int limit, int skip, CancellationToken cancellationToken)
    {
        var counted = 0;
        var page = new List<MemberSummary>();
        string? last = null;
        for (var batch = FirstNameBatch; ; batch = Math.Min(batch * 4, MaxNameBatch))
        {
            var sql = MembersSearchIndex.SqliteMatchingNames(search.Descending, first: last is null);
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
        var bounds = new BandBounds(Reached(31), Reached(41), Reached(51), Reached(61), Reached(71), Reached(10), Reached(20), Reached(30), Reached(40), Reached(50));

        // SQLite answers a query on one thread: a large subtree is counted in parts, each organisation
        // in one of them, on their own connections at once (readers do not block each other in WAL
        // mode), and the parts' groups add up like any others. PostgreSQL runs one query in parallel itself.
        var parts = access.Db.Schema is null ? Math.Clamp(units.Count, 1, StatisticsParts) : 1;
        var counted = await Task.WhenAll(Enumerable.Range(0, parts).Select(async part =>
        {
            var share = units.Where((_, index) => index % parts == part).ToList();
            if (part == 0)
            {
                return await CountGroupsAsync(access.Db, share, bounds, cancellationToken);
            }

            await using var scope = scopes.CreateAsyncScope();
            return await CountGroupsAsync(scope.ServiceProvider.GetRequiredService<MembersDbContext>(), share, bounds, cancellationToken);
        }));
        var groups = counted.SelectMany(g => g).ToList();
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
            (AgeBand(30), g.Under31), (AgeBand(40), g.Under41 - g.Under31), (AgeBand(50), g.Under51 - g.Under41),
            (AgeBand(60), g.Under61 - g.Under51), (AgeBand(70), g.Under71 - g.Under61), (AgeBand(71), g.Count - g.Under71),
        }).Where(b => b.Item2 > 0));
        var byPartyAge = Count(onRollsGroups.SelectMany(g => new[]
        {
            (PartyAgeBand(0), g.PartyUnder10), (PartyAgeBand(10), g.PartyUnder20 - g.PartyUnder10), (PartyAgeBand(20), g.PartyUnder30 - g.PartyUnder20),
            (PartyAgeBand(30), g.PartyUnder40 - g.PartyUnder30), (PartyAgeBand(40), g.PartyUnder50 - g.PartyUnder40), (PartyAgeBand(50), g.Count - g.PartyUnder50),
        }).Where(b => b.Item2 > 0));
        return new MemberStatistics(byGender.Values.Sum(), byStatus, byGender, byAge, byEthnicity, byReligion, byEducation, byTheory, byPartyAge);
    }

    /// <summary>How many parts a large subtree's statistics are counted in on SQLite: the cores, up to four.</summary>
    private static int StatisticsParts => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The upper bound of each age and Party-age band: the latest date that reaches its first full year.</summary>
    private readonly record struct BandBounds(
        DateOnly Age31, DateOnly Age41, DateOnly Age51, DateOnly Age61, DateOnly Age71,
        DateOnly Party10, DateOnly Party20, DateOnly Party30, DateOnly Party40, DateOnly Party50);

    /// <summary>
    /// One pass over the covering statistics index for the members owned by <paramref name="units"/>,
    /// counting inside each group those born (or admitted) after each band's bound: cumulative counts,
    /// one comparison each, the bands being their differences. SQLite groups by sorting unless the
    /// groups follow the index, so there the organisation leads the key, the groups stream in index
    /// order, and a second grouping in the database merges the organisations (a whole tree has about
    /// fifteen times fewer groups without them, and each row read into .NET costs more than merging it
    /// there). PostgreSQL hashes the groups, and fewer of them (no organisation) are cheaper.
    /// </summary>
    private static async Task<List<StatisticsGroup>> CountGroupsAsync(MembersDbContext db, List<Guid> units, BandBounds b, CancellationToken cancellationToken)
    {
        var members = db.Members.AsNoTracking().Where(m => units.Contains(m.OwnerOrgUnitId));
        var sqlite = db.Schema is null; // PostgreSQL keeps each module in its schema
        var keyed = sqlite
            ? members.GroupBy(m => new StatisticsKey { Unit = m.OwnerOrgUnitId, Status = m.Status, Gender = m.Gender, EthnicityCode = m.EthnicityCode, ReligionCode = m.ReligionCode, GeneralEducation = m.GeneralEducation, TheoryLevel = m.TheoryLevel })
            : members.GroupBy(m => new StatisticsKey { Status = m.Status, Gender = m.Gender, EthnicityCode = m.EthnicityCode, ReligionCode = m.ReligionCode, GeneralEducation = m.GeneralEducation, TheoryLevel = m.TheoryLevel });
        var counted = keyed.Select(g => new StatisticsGroup
        {
            Status = g.Key.Status,
            Gender = g.Key.Gender,
            EthnicityCode = g.Key.EthnicityCode,
            ReligionCode = g.Key.ReligionCode,
            GeneralEducation = g.Key.GeneralEducation,
            TheoryLevel = g.Key.TheoryLevel,
            Count = g.Count(),
            Under31 = g.Count(m => m.DateOfBirth > b.Age31),
            Under41 = g.Count(m => m.DateOfBirth > b.Age41),
            Under51 = g.Count(m => m.DateOfBirth > b.Age51),
            Under61 = g.Count(m => m.DateOfBirth > b.Age61),
            Under71 = g.Count(m => m.DateOfBirth > b.Age71),
            PartyUnder10 = g.Count(m => m.AdmissionDate > b.Party10),
            PartyUnder20 = g.Count(m => m.AdmissionDate > b.Party20),
            PartyUnder30 = g.Count(m => m.AdmissionDate > b.Party30),
            PartyUnder40 = g.Count(m => m.AdmissionDate > b.Party40),
            PartyUnder50 = g.Count(m => m.AdmissionDate > b.Party50),
        });
        if (sqlite)
        {
            counted = counted
                .GroupBy(g => new { g.Status, g.Gender, g.EthnicityCode, g.ReligionCode, g.GeneralEducation, g.TheoryLevel })
                .Select(g => new StatisticsGroup
                {
                    Status = g.Key.Status,
                    Gender = g.Key.Gender,
                    EthnicityCode = g.Key.EthnicityCode,
                    ReligionCode = g.Key.ReligionCode,
                    GeneralEducation = g.Key.GeneralEducation,
                    TheoryLevel = g.Key.TheoryLevel,
                    Count = g.Sum(r => r.Count),
                    Under31 = g.Sum(r => r.Under31),
                    Under41 = g.Sum(r => r.Under41),
                    Under51 = g.Sum(r => r.Under51),
                    Under61 = g.Sum(r => r.Under61),
                    Under71 = g.Sum(r => r.Under71),
                    PartyUnder10 = g.Sum(r => r.PartyUnder10),
                    PartyUnder20 = g.Sum(r => r.PartyUnder20),
                    PartyUnder30 = g.Sum(r => r.PartyUnder30),
                    PartyUnder40 = g.Sum(r => r.PartyUnder40),
                    PartyUnder50 = g.Sum(r => r.PartyUnder50),
                });
        }

        return await counted.ToListAsync(cancellationToken);
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

    /// <summary>
    /// A group's counts: all its members, and those under each band's upper bound (born, or admitted,
    /// after the latest date reaching that age or Party age: under 31 is the "&lt;=30" band).
    /// </summary>
    private sealed class StatisticsGroup
    {
        public MemberStatus Status { get; init; }

        public Gender Gender { get; init; }

        public string EthnicityCode { get; init; } = "";

        public string ReligionCode { get; init; } = "";

        public string GeneralEducation { get; init; } = "";

        public TheoryLevel TheoryLevel { get; init; }

        public int Count { get; init; }

        public int Under31 { get; init; }

        public int Under41 { get; init; }

        public int Under51 { get; init; }

        public int Under61 { get; init; }

        public int Under71 { get; init; }

        public int PartyUnder10 { get; init; }

        public int PartyUnder20 { get; init; }

        public int PartyUnder30 { get; init; }

        public int PartyUnder40 { get; init; }

        public int PartyUnder50 { get; init; }
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
        var few = await SmallScopeProbe(visible).CountAsync(cancellationToken) <= SmallScope;
        return few
            ? (access.Db.Members.Where(visible.InUnits).Where(m => m.SearchName.Contains(folded)), false)
            : (access.Db.Members.FromSqlRaw(MembersSearchIndex.MembersOfMatchingNames(access.Db.Schema), folded).Where(m => m.SearchName.Contains(folded)), true);
    }

    /// <summary>Counted, whether the caller sees at most <see cref="SmallScope"/> members (on the organisation indexes).</summary>
    private IQueryable<Member> SmallScopeProbe(MemberVisibility visible) => access.Db.Members.Where(visible.InUnits).Take(SmallScope + 1);

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
