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
    /// <see cref="ModuleDbContext.ApplyingReplicas"/> and save once for the whole batch).
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
        var stored = await db.Set<T>().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var changed = 0;
        foreach (var replica in replicas)
        {
            stored.TryGetValue(replica.Id, out var row);
            if (row is not null && (row.OriginNode != replica.OriginNode || row.Version >= replica.Version))
            {
                continue;
            }

            if (replica.Deleted)
            {
                if (row is not null)
                {
                    db.Remove(row);
                    stored.Remove(replica.Id);
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
            if (row is null)
            {
                db.Add(incoming);
                stored[replica.Id] = incoming;
            }
            else
            {
                db.Entry(row).CurrentValues.SetValues(incoming);
            }

            changed++;
        }

        return changed;
    }
}
