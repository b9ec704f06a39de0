using System.Linq.Expressions;
using System.Text.Json;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// What every operation does the same way: load a member and authorize on its chi bộ, check an
/// organisation is a chi bộ, compute the organisations a list may show, write the timeline, save.
/// </summary>
internal sealed class MemberAccess(MembersDbContext db, IAuthorizer authorizer, IOrganisationDirectory directory, MembersClock clock)
{
    public MembersDbContext Db => db;

    public DateOnly Today => clock.Today;

    /// <summary>
    /// Loads a member for an operation under <paramref name="permission"/> on the member's chi bộ.
    /// A positive <paramref name="expectedVersion"/> makes the save fail if the member changed since.
    /// </summary>
    public async Task<Member> LoadAsync(string permission, Guid memberId, long expectedVersion, CancellationToken cancellationToken)
    {
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken)
            ?? throw Refuse.MemberNotFound(memberId);
        var readingTemporaryMember = permission == MembersPermissions.Read
            && member.TemporaryOrgUnitId is { } temporary
            && !await authorizer.IsAllowedAsync(permission, member.OwnerOrgUnitId, cancellationToken)
            && await authorizer.IsAllowedAsync(permission, temporary, cancellationToken);
        if (!readingTemporaryMember)
        {
            await authorizer.EnsureAllowedAsync(permission, member.OwnerOrgUnitId, cancellationToken);
        }

        if (member.Classification != Classification.Normal)
        {
            // Mật and above: also the right to read classified records of the member's organisation.
            await authorizer.EnsureAllowedAsync(CorePermissions.ReadClassified, member.OwnerOrgUnitId, cancellationToken);
        }
        if (permission != MembersPermissions.Read)
        {
            await EnsureNotHandedOverAsync(member, cancellationToken);
            await EnsureOwnedHereAsync(member, cancellationToken);
        }

        if (expectedVersion > 0)
        {
            db.Entry(member).Property(m => m.Version).OriginalValue = expectedVersion;
        }

        return member;
    }

    /// <summary>
    /// The one guard of replicas: a record another node owns (federation brought it here) is
    /// read-only; a write is refused (FAILED_PRECONDITION) naming the owner node and organisation.
    /// </summary>
    public async Task EnsureOwnedHereAsync(ReplicatedRecord record, CancellationToken cancellationToken)
    {
        if (record.OriginNode.Length == 0 || record.OriginNode == db.NodeId)
        {
            return;
        }

        var owner = (await directory.FindAsync(record.OwnerOrgUnitId, cancellationToken))?.NameVi ?? record.OwnerOrgUnitId.ToString();
        throw Refuse.Rule("federation.replica-read-only",
            $"Đây là bản sao chỉ đọc; hồ sơ do nút '{record.OriginNode}' ({owner}) quản lý, hãy sửa tại đó. Không có gì được lưu.",
            $"This is a read-only replica; the record is kept by node '{record.OriginNode}' ({owner}); change it there. Nothing was saved.");
    }

    /// <summary>A member handed over to another node's chi bộ is history here: the refusal names the new owner.</summary>
    private async Task EnsureNotHandedOverAsync(Member member, CancellationToken cancellationToken)
    {
        if (member.Status != MemberStatus.TransferredOut || member.OriginNode == db.NodeId)
        {
            return;
        }

        var code = await db.Handovers.AsNoTracking().Where(h => h.MemberId == member.Id).OrderByDescending(h => h.MemberVersion)
            .Select(h => h.ToOrgCode).FirstOrDefaultAsync(cancellationToken);
        var to = code is null ? null : (await directory.FindByCodeAsync(code, cancellationToken))?.NameVi;
        throw Refuse.Rule("member.transferred-out",
            $"Đảng viên đã chuyển sinh hoạt đến {to ?? code} (nút '{member.OriginNode}'); hồ sơ do nút đó quản lý, ở đây chỉ còn lịch sử. Không có gì được lưu.",
            $"The member was transferred to {to ?? code} (node '{member.OriginNode}'), which keeps the file now; only the history stays here. Nothing was saved.");
    }

        public Task EnsureAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken) =>
        authorizer.EnsureAllowedAsync(permission, orgUnitId, cancellationToken);

    /// <summary>The chi bộ a member belongs to: it must exist, be a chi bộ and be active on <paramref name="on"/>.</summary>
    public async Task<OrgUnitInfo> CellAsync(Guid orgUnitId, string field, DateOnly on, CancellationToken cancellationToken)
    {
        var unit = await directory.FindAsync(orgUnitId, cancellationToken) ?? throw Refuse.OrgUnitNotFound(orgUnitId);
        if (unit.Kind is not (OrgUnitKind.GrassrootsCell or OrgUnitKind.SubordinateCell))
        {
            throw Refuse.Field(field, $"\"{unit.NameVi}\" không phải là chi bộ; đảng viên sinh hoạt ở chi bộ.", $"{unit.NameVi} is not a chi bộ; members belong to a chi bộ.");
        }

        if (!unit.IsActiveOn(on))
        {
            throw Refuse.Field(field, $"Chi bộ \"{unit.NameVi}\" không còn hoạt động vào ngày {on:dd/MM/yyyy}.", $"{unit.NameVi} is not active on {on:yyyy-MM-dd}.");
        }

        return unit;
    }

    public Task<IReadOnlyList<OrgUnitInfo>> AncestryAsync(Guid orgUnitId, CancellationToken cancellationToken) =>
        directory.AncestryAsync(orgUnitId, cancellationToken);

    /// <summary>
    /// The organisations of <paramref name="rootId"/>'s subtree whose members the caller may see
    /// under <paramref name="permission"/>; refuses unless the caller holds it on the root itself.
    /// </summary>
    public async Task<List<Guid>> VisibleUnitsAsync(string permission, Guid rootId, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(rootId, cancellationToken) is null)
        {
            throw Refuse.OrgUnitNotFound(rootId);
        }

        await authorizer.EnsureAllowedAsync(permission, rootId, cancellationToken);
        var scope = await authorizer.ScopeAsync(permission, cancellationToken);
        var subtree = await directory.SubtreeAsync(rootId, cancellationToken);
        return subtree.Select(u => u.Id).Where(scope.Contains).ToList();
    }

    /// <summary>
    /// The members of <paramref name="rootId"/>'s subtree the caller may list under
    /// <paramref name="permission"/>: owned by a visible organisation (or, with
    /// <paramref name="includeTemporary"/>, taking part there on a temporary transfer), and
    /// classified ones only where the caller may read classified records.
    /// </summary>
    public async Task<IQueryable<Member>> VisibleMembersAsync(string permission, Guid rootId, CancellationToken cancellationToken, bool includeTemporary = false) =>
        (await VisibilityAsync(permission, rootId, cancellationToken, includeTemporary)).Filter(db.Members);

    /// <summary>
    /// The filter of <see cref="VisibleMembersAsync"/>, worked out once (rights, subtree) and applied
    /// to any source of members (a search's name-index matches, more than one query of one search).
    /// </summary>
    public async Task<MemberVisibility> VisibilityAsync(string permission, Guid rootId, CancellationToken cancellationToken, bool includeTemporary = false)
    {
        var units = await VisibleUnitsAsync(permission, rootId, cancellationToken);
        var classifiedScope = await authorizer.ScopeAsync(CorePermissions.ReadClassified, cancellationToken);
        var classified = units.Where(classifiedScope.Contains).ToList();
        Expression<Func<Member, bool>> inUnits = includeTemporary
            ? m => units.Contains(m.OwnerOrgUnitId) || (m.TemporaryOrgUnitId != null && units.Contains(m.TemporaryOrgUnitId.Value))
            : m => units.Contains(m.OwnerOrgUnitId);
        // The same test, written so that no index serves the temporary side (COALESCE): a list of a large
        // subtree reads the name order or the name index and checks each row; seeking both organisation
        // indexes would read and sort every member of the subtree first. InUnits seeks, for small scopes.
        Expression<Func<Member, bool>> checkedInUnits = includeTemporary
            ? m => units.Contains(m.OwnerOrgUnitId) || units.Contains(m.TemporaryOrgUnitId ?? Guid.Empty)
            : inUnits;
        return new MemberVisibility(
            source => source.AsNoTracking().Where(checkedInUnits).Where(m => m.Classification == Classification.Normal || classified.Contains(m.OwnerOrgUnitId)),
            inUnits);
    }

    /// <summary>Adds an entry to the member's timeline: who (the current actor), when, what, why.</summary>
    public void Record(Member member, string action, string summary, string reason = "", object? details = null) =>
        db.History.Add(NewEntry(member, action, summary, reason, details));

    /// <summary>A timeline entry of <paramref name="member"/>, by the current actor, now.</summary>
    public static HistoryEntry NewEntry(Member member, string action, string summary, string reason = "", object? details = null) =>
        new()
        {
            MemberId = member.Id,
            OwnerOrgUnitId = member.OwnerOrgUnitId,
            Classification = member.Classification,
            At = DateTime.UtcNow,
            Actor = Actor.Current.Name,
            Action = action,
            Summary = summary.Length > 500 ? summary[..500] : summary,
            Reason = (reason ?? "").Trim() is { Length: > 1000 } r ? r[..1000] : (reason ?? "").Trim(),
            Details = details is null ? "{}" : JsonSerializer.Serialize(details, RuleSet.Json),
        };

    /// <summary>Refuses a CCCD, file or card number another member already has.</summary>
    public async Task EnsureUniqueAsync(MemberProfile profile, Guid? self, CancellationToken cancellationToken)
    {
        if (await db.Members.AnyAsync(m => m.CitizenId == profile.CitizenId && m.Id != self, cancellationToken))
        {
            throw Refuse.Rule("member.citizen-id-unique",
                $"Số CCCD {profile.CitizenId} đã có trong hồ sơ của một đảng viên khác.", $"Citizen ID {profile.CitizenId} already belongs to another member.");
        }

        if (profile.FileNumber is { } file && await db.Members.AnyAsync(m => m.FileNumber == file && m.Id != self, cancellationToken))
        {
            throw Refuse.Rule("member.file-number-unique",
                $"Số lý lịch {file} đã được dùng cho đảng viên khác.", $"File number {file} already belongs to another member.");
        }

        if (profile.CardNumber is { } card && await db.Members.AnyAsync(m => m.CardNumber == card && m.Id != self, cancellationToken))
        {
            throw Refuse.Rule("member.card-number-unique",
                $"Số thẻ đảng viên {card} đã được dùng cho đảng viên khác.", $"Party card number {card} already belongs to another member.");
        }
    }

    /// <summary>Saves; a unique index that another save won the race for becomes the same rule refusal.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException && (ex.InnerException?.Message ?? "").Contains("CitizenId", StringComparison.Ordinal))
        {
            throw Refuse.Rule("member.citizen-id-unique", "Số CCCD đã có trong hồ sơ của một đảng viên khác.", "The citizen ID already belongs to another member.");
        }
    }

    public static void RequireText(string? value, string field, string what, int max = 50)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Refuse.Field(field, $"Chưa nhập {what}.", $"The {field} is required.");
        }

        if (value.Trim().Length > max)
        {
            throw Refuse.Field(field, $"{what} tối đa {max} ký tự.", $"The {field} takes at most {max} characters.");
        }
    }

    public void RequireNotFuture(DateOnly date, string field)
    {
        if (date > Today)
        {
            throw Refuse.Field(field, $"Ngày {date:dd/MM/yyyy} là ngày trong tương lai.", $"{date:yyyy-MM-dd} is in the future.");
        }
    }
}

/// <summary>
/// What a list may show: <see cref="Filter"/> keeps the visible members of any source, checked row by row;
/// <see cref="InUnits"/>, its organisation part alone, seeks the organisation indexes (how many there are, or
/// the members of a small scope).
/// </summary>
internal sealed record MemberVisibility(Func<IQueryable<Member>, IQueryable<Member>> Filter, Expression<Func<Member, bool>> InUnits);
