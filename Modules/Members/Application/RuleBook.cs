using System.Globalization;
using System.Text.Json;
using DangVu.Core.Abstractions.Security;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// The effective-dated rule packs. The first use on an empty database stores the seed pack
/// shipped in the assembly (Data/rules-2026.json, Quy định 01-QĐ/TW); administrators publish
/// newer packs or revise one, and every computation asks for the rules in force at its date.
/// </summary>
internal sealed class RuleBook(MembersDbContext db, IAuthorizer authorizer, MemberAccess access)
{
    private RuleTimeline? _timeline;

    public async Task<RuleTimeline> TimelineAsync(CancellationToken cancellationToken)
    {
        if (_timeline is not null)
        {
            return _timeline;
        }

        var records = await db.RulePacks.AsNoTracking().ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            records = [await SeedAsync(cancellationToken)];
        }

        _timeline = new RuleTimeline(records.Select(ToInfo));
        return _timeline;
    }

    /// <summary>Publishes a pack in force from <paramref name="validFrom"/> until a later one.</summary>
    public async Task<RulePackInfo> PublishAsync(Guid orgUnitId, DateOnly validFrom, string name, string sourceDocument, RuleSet rules, CancellationToken cancellationToken)
    {
        await authorizer.EnsureAllowedAsync(MembersPermissions.ManageRules, orgUnitId, cancellationToken);
        MemberAccess.RequireText(name, "name", "tên bộ quy định", 200);
        rules.Validate();
        await TimelineAsync(cancellationToken);
        if (await db.RulePacks.AnyAsync(r => r.ValidFrom == validFrom, cancellationToken))
        {
            throw Refuse.Rule("rules.valid-from-taken",
                $"Đã có bộ quy định hiệu lực từ ngày {validFrom:dd/MM/yyyy}; hãy sửa bộ đó.",
                $"A rule pack valid from {validFrom:yyyy-MM-dd} exists; revise it instead.");
        }

        var record = new RulePackRecord
        {
            OwnerOrgUnitId = orgUnitId,
            ValidFrom = validFrom,
            Name = name.Trim(),
            SourceDocument = (sourceDocument ?? "").Trim(),
            Rules = rules.ToJson(),
        };
        db.RulePacks.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        _timeline = null;
        return ToInfo(record);
    }

    /// <summary>Corrects the values of an existing pack (optimistic: <paramref name="expectedVersion"/>).</summary>
    public async Task<RulePackInfo> ReviseAsync(Guid orgUnitId, Guid packId, long expectedVersion, RuleSet rules, CancellationToken cancellationToken)
    {
        await authorizer.EnsureAllowedAsync(MembersPermissions.ManageRules, orgUnitId, cancellationToken);
        rules.Validate();
        var record = await db.RulePacks.SingleOrDefaultAsync(r => r.Id == packId, cancellationToken)
            ?? throw new Core.Abstractions.Errors.NotFoundException($"Không tìm thấy bộ quy định {packId}.", $"Rule pack {packId} was not found.");
        await access.EnsureOwnedHereAsync(record, cancellationToken);
        db.Entry(record).Property(r => r.Version).OriginalValue = expectedVersion;
        record.Rules = rules.ToJson();
        record.OwnerOrgUnitId = orgUnitId;
        await db.SaveChangesAsync(cancellationToken);
        _timeline = null;
        return ToInfo(record);
    }

    private async Task<RulePackRecord> SeedAsync(CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(ReferenceData.ReadText("rules-2026.json"));
        var root = document.RootElement;
        var record = new RulePackRecord
        {
            OwnerOrgUnitId = Guid.Empty,
            ValidFrom = DateOnly.ParseExact(root.GetProperty("validFrom").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Name = root.GetProperty("name").GetString()!,
            SourceDocument = root.GetProperty("sourceDocument").GetString()!,
            Rules = RuleSet.FromJson(root.GetProperty("rules").GetRawText()).Validate().ToJson(),
        };
        db.RulePacks.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return record;
        }
        catch (DbUpdateException)
        {
            // Another request seeded first: use its pack.
            db.Entry(record).State = EntityState.Detached;
            return await db.RulePacks.AsNoTracking().OrderBy(r => r.ValidFrom).FirstAsync(cancellationToken);
        }
    }

    private static RulePackInfo ToInfo(RulePackRecord r) =>
        new(r.Id, r.ValidFrom, r.Name, r.SourceDocument, RuleSet.FromJson(r.Rules), r.Version);
}
