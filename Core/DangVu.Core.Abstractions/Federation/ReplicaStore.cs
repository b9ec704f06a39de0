using System.Text.Json;
using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Abstractions.Federation;

/// <summary>
/// Applies replicas into a module's table: upsert by id keeping the origin's version, a
/// tombstone deletes, and a version not newer than the stored one changes nothing, so a replay
/// is harmless. A row of this node with the same id is never overwritten (ownership decides).
/// </summary>
public static class ReplicaStore
{
    /// <summary>
    /// Stages the replicas of one record type in <paramref name="db"/> (call inside
    /// <see cref="ModuleDbContext.ApplyingReplicas"/> and save once for the whole batch): the save
    /// writes each record's last state in the batch set-based — a guarded bulk upsert and guarded
    /// deletes, the guards (same origin, older version) repeating in SQL what is decided here.
    /// <paramref name="localize"/> fixes fields that hold the origin's local ids. Returns how many changed.
    /// </summary>
    public static async Task<int> StageAsync<T>(ModuleDbContext db, IReadOnlyList<IncomingReplica> replicas, Action<T>? localize, CancellationToken cancellationToken)
        where T : ReplicatedRecord
    {
        if (replicas.Count == 0)
        {
            return 0;
        }

        var ids = replicas.Select(r => r.Id).Distinct().ToList();
        var known = await db.Set<T>().AsNoTracking().Where(r => ids.Contains(r.Id))
            .Select(r => new { r.Id, r.OriginNode, r.Version })
            .ToDictionaryAsync(r => r.Id, r => new Known(r.OriginNode, r.Version, Exists: true), cancellationToken);
        var last = new Dictionary<Guid, (IncomingReplica Replica, T? Row)>();
        var changed = 0;
        foreach (var replica in replicas)
        {
            // A tombstone applied earlier in the batch still holds its version: an older change after it is stale too.
            if (known.TryGetValue(replica.Id, out var seen) && (seen.Origin != replica.OriginNode || seen.Version >= replica.Version))
            {
                continue;
            }

            if (replica.OriginNode == db.NodeId)
            {
                throw new InvalidOperationException($"Only other nodes' records are saved while applying replicas, not {replica.RecordType} {replica.Id} of this node.");
            }

            known[replica.Id] = new Known(replica.OriginNode, replica.Version, !replica.Deleted);
            if (replica.Deleted)
            {
                if (seen is { Exists: true })
                {
                    last[replica.Id] = (replica, null);
                    changed++;
                }

                continue;
            }

            var incoming = JsonSerializer.Deserialize<T>(replica.Payload.Span)
                ?? throw new JsonException($"The payload of {replica.RecordType} {replica.Id} is empty.");
            incoming.Id = replica.Id;
            incoming.OriginNode = replica.OriginNode;
            incoming.Version = replica.Version;
            incoming.OwnerOrgUnitId = replica.OwnerOrgUnitId;
            incoming.Classification = replica.Classification;
            localize?.Invoke(incoming);
            last[replica.Id] = (replica, incoming);
            changed++;
        }

        if (last.Count > 0)
        {
            var deletes = last.Values.Where(l => l.Row is null).Select(l => l.Replica).ToList();
            var rows = last.Values.Where(l => l.Row is not null).Select(l => (object)l.Row!).ToList();
            db.StageReplicaWrite(async ct =>
            {
                // Deletes first: a row inserted in the same batch may reuse a unique value (citizen id) of a deleted one.
                foreach (var tombstone in deletes)
                {
                    await db.Set<T>().Where(r => r.Id == tombstone.Id && r.OriginNode == tombstone.OriginNode && r.Version < tombstone.Version)
                        .ExecuteDeleteAsync(ct);
                }

                await new BulkInsert(db).UpsertAsync(typeof(T), rows, nameof(ReplicatedRecord.Version), [nameof(ReplicatedRecord.OriginNode)], ct);
            });
        }

        return changed;
    }

    /// <summary>What is known of a record while going through a batch: its origin, last version, and whether a row exists.</summary>
    private readonly record struct Known(string Origin, long Version, bool Exists);
}
