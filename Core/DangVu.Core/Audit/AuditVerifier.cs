using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Audit;

/// <summary>The result of checking one storage's audit chain.</summary>
internal sealed record AuditChainReport(string Storage, long Entries, long? BrokenAt, string? Problem)
{
    public bool Intact => BrokenAt is null;
}

/// <summary>
/// Walks every storage's audit chain from the first entry and reports the first entry whose
/// hash or link does not hold: a row edited, inserted or deleted behind the platform's back.
/// </summary>
internal sealed class AuditVerifier(IServiceScopeFactory scopes, IEnumerable<ModuleStorage> storages)
{
    private const int PageSize = 1000;

    public async Task<IReadOnlyList<AuditChainReport>> VerifyAsync(CancellationToken cancellationToken)
    {
        var reports = new List<AuditChainReport>();
        foreach (var storage in storages)
        {
            reports.Add(await VerifyAsync(storage, cancellationToken));
        }

        return reports;
    }

    private async Task<AuditChainReport> VerifyAsync(ModuleStorage storage, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = storage.Resolve(scope.ServiceProvider);
        var previous = AuditChain.Genesis;
        long count = 0;
        long after = 0;
        while (true)
        {
            var page = await db.AuditTrail.AsNoTracking().Where(a => a.Sequence > after).OrderBy(a => a.Sequence).Take(PageSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return new AuditChainReport(storage.ModuleId, count, null, null);
            }

            foreach (var entry in page)
            {
                count++;
                if (entry.PreviousHash != previous)
                {
                    return new AuditChainReport(storage.ModuleId, count, entry.Sequence,
                        "mắt xích trước bị thiếu hoặc bị thay (the link to the previous entry is broken: an entry was deleted or replaced)");
                }

                if (AuditChain.ComputeHash(entry) != entry.Hash)
                {
                    return new AuditChainReport(storage.ModuleId, count, entry.Sequence,
                        "nội dung đã bị sửa sau khi ghi (the entry was changed after it was written)");
                }

                previous = entry.Hash;
                after = entry.Sequence;
            }
        }
    }
}
