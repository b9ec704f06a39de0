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

    /// <summary>How the name index hands its matches to the page: any order (then sorted), or walking the sort-name index.</summary>
    private enum NameOrder
    {
        Any,
        Walk,
    }

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

        // Counting every match of a common name part costs more than the page: count up to the cap
        // (or the end of the page asked for) and say "more than" beyond it.
        var visible = await access.VisibilityAsync(MembersPermissions.Read, search.OrgUnitId, cancellationToken, includeTemporary: true);
        var limit = Math.Max(CountCap, search.Page * search.PageSize);
        var counted = await Filter(search, visible, NameOrder.Any).Take(limit + 1).CountAsync(cancellationToken);
        var many = counted > limit;
        // Walking the name order pays off for one common word (a family name, a syllable), whose
        // matches spread through the sort key (given name first); the matches of several words
        // usually share a given name, sit together in the middle of that order, and are few enough to sort.
        var walk = many && search.Sort == MemberSort.Name && !(search.Text ?? "").Trim().Contains(' ');
        var page = Filter(search, visible, walk ? NameOrder.Walk : NameOrder.Any);
        var items = await Sort(page, search)
            .Skip((search.Page - 1) * search.PageSize)
            .Take(search.PageSize)
            .Select(m => new MemberSummary(m.Id, m.FullName, m.Gender, m.DateOfBirth, m.OwnerOrgUnitId, m.Status, m.CitizenId, m.CardNumber, m.AdmissionDate) { OriginNode = m.OriginNode })
            .ToListAsync(cancellationToken);
        return new SearchResult(Math.Min(counted, limit), items, many);
    }

    /// <summary>Every match of the search, in order, for streaming (paging ignored).</summary>
    public async IAsyncEnumerable<MemberSummary> StreamAsync(MemberSearch search, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var visible = await access.VisibilityAsync(MembersPermissions.Read, search.OrgUnitId, cancellationToken, includeTemporary: true);
        var query = Filter(search, visible, NameOrder.Any);
        await foreach (var item in Sort(query, search)
            .Select(m => new MemberSummary(m.Id, m.FullName, m.Gender, m.DateOfBirth, m.OwnerOrgUnitId, m.Status, m.CitizenId, m.CardNumber, m.AdmissionDate) { OriginNode = m.OriginNode })
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
        var all = access.Db.Members.AsNoTracking().Where(m => units.Contains(m.OwnerOrgUnitId));
        var onRolls = all.Where(m => m.Status == MemberStatus.Probationary || m.Status == MemberStatus.Official
            || m.Status == MemberStatus.Exempted || m.Status == MemberStatus.InTransfer);

        // Two scans of the covering statistics index: every categorical count (a few hundred groups), then the age bands.
        var groups = await all
            .GroupBy(m => new { m.Status, m.Gender, m.EthnicityCode, m.ReligionCode, m.GeneralEducation, m.TheoryLevel })
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var onRollsGroups = groups.Where(g => g.Key.Status is MemberStatus.Probationary or MemberStatus.Official or MemberStatus.Exempted or MemberStatus.InTransfer).ToList();
        Dictionary<string, int> Count(IEnumerable<(string Key, int Count)> rows) => rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var byStatus = Count(groups.Select(g => (g.Key.Status.ToString(), g.Count)));
        var byGender = Count(onRollsGroups.Select(g => (g.Key.Gender.ToString(), g.Count)));
        var byEthnicity = Count(onRollsGroups.Select(g => (g.Key.EthnicityCode, g.Count)));
        var byReligion = Count(onRollsGroups.Select(g => (g.Key.ReligionCode, g.Count)));
        var byEducation = Count(onRollsGroups.Select(g => (g.Key.GeneralEducation, g.Count)));
        var byTheory = Count(onRollsGroups.Select(g => (g.Key.TheoryLevel.ToString(), g.Count)));
        // Both bands in the database (a handful of groups instead of one per date): each band is a
        // range of dates, bounded by the latest date that reaches the band's first full year.
        DateOnly Reached(int years) => Dates.LatestReaching(years, asOf);
        var (a31, a41, a51, a61, a71) = (Reached(31), Reached(41), Reached(51), Reached(61), Reached(71));
        var (p10, p20, p30, p40, p50) = (Reached(10), Reached(20), Reached(30), Reached(40), Reached(50));
        var bands = await onRolls
            .GroupBy(m => new
            {
                // A representative age of the band (AgeBand / PartyAgeBand name it).
                Age = m.DateOfBirth > a31 ? 30 : m.DateOfBirth > a41 ? 40 : m.DateOfBirth > a51 ? 50 : m.DateOfBirth > a61 ? 60 : m.DateOfBirth > a71 ? 70 : 71,
                Party = m.AdmissionDate > p10 ? 0 : m.AdmissionDate > p20 ? 10 : m.AdmissionDate > p30 ? 20 : m.AdmissionDate > p40 ? 30 : m.AdmissionDate > p50 ? 40 : 50,
            })
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var byAge = bands.GroupBy(b => AgeBand(b.Key.Age)).ToDictionary(g => g.Key, g => g.Sum(b => b.Count));
        var byPartyAge = bands.GroupBy(b => PartyAgeBand(b.Key.Party)).ToDictionary(g => g.Key, g => g.Sum(b => b.Count));
        return new MemberStatistics(byGender.Values.Sum(), byStatus, byGender, byAge, byEthnicity, byReligion, byEducation, byTheory, byPartyAge);
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

    private IQueryable<Member> Filter(MemberSearch s, Func<IQueryable<Member>, IQueryable<Member>> visible, NameOrder order)
    {
        var text = (s.Text ?? "").Trim();
        var byNumber = text.Any(char.IsAsciiDigit);
        var query = visible(byNumber || text.Length == 0 ? access.Db.Members : NameContains(VietnameseText.Fold(text), order));
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
    /// Members whose folded name contains <paramref name="folded"/>, through the name index: FTS5
    /// trigram on SQLite (its rowids select the rows; <see cref="NameOrder.Walk"/> reads them in
    /// sort-name order), a trigram GIN index under LIKE on PostgreSQL. Under three characters no
    /// trigram exists, so SQLite scans the folded column.
    /// </summary>
    private IQueryable<Member> NameContains(string folded, NameOrder order)
    {
        var members = access.Db.Members;
        if (access.Db.Schema is not null)
        {
            var pattern = "%" + folded.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            return members.Where(m => EF.Functions.Like(m.SearchName, pattern, "\\"));
        }

        if (folded.Length < 3)
        {
            return members.Where(m => m.SearchName.Contains(folded));
        }

        var sql = order == NameOrder.Walk ? MembersSearchIndex.SqliteMatchingInNameOrder : MembersSearchIndex.SqliteMatching;
        return members.FromSqlRaw(sql, MembersSearchIndex.Phrase(folded));
    }

    private static IQueryable<Member> Sort(IQueryable<Member> query, MemberSearch s) => (s.Sort, s.Descending) switch
    {
        (MemberSort.DateOfBirth, false) => query.OrderBy(m => m.DateOfBirth).ThenBy(m => m.Id),
        (MemberSort.DateOfBirth, true) => query.OrderByDescending(m => m.DateOfBirth).ThenBy(m => m.Id),
        (MemberSort.AdmissionDate, false) => query.OrderBy(m => m.AdmissionDate).ThenBy(m => m.Id),
        (MemberSort.AdmissionDate, true) => query.OrderByDescending(m => m.AdmissionDate).ThenBy(m => m.Id),
        (_, false) => query.OrderBy(m => m.SortName).ThenBy(m => m.Id),
        (_, true) => query.OrderByDescending(m => m.SortName).ThenBy(m => m.Id),
    };
}
