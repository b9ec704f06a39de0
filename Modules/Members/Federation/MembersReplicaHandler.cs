using System.Reflection;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Federation;

/// <summary>
/// What Members replicates: member files and their timelines go up to every ancestor node (read
/// there as replicas in search, profile and statistics of the subtree); rule packs published at
/// an upper node come down and are used by the rule book. Transfer letters and the member file
/// they send are also addressed to the receiving chi bộ, and the handover to the sending one, so
/// they reach those nodes wherever they are in the tree. Replicas are read-only here.
/// </summary>
internal sealed class MembersReplicaHandler(MembersDbContext db, HandoverFollower handovers) : IReplicaHandler
{
    private static readonly ReplicaFlow[] Declared =
    [
        new(TypeName<Member>(), FlowDirection.Up, AddressField: nameof(Member.TransferToOrgCode)),
        new(TypeName<HistoryEntry>(), FlowDirection.Up),
        new(TypeName<TransferLetterRecord>(), FlowDirection.Up, AddressField: nameof(TransferLetterRecord.ToOrgCode)),
        new(TypeName<HandoverRecord>(), FlowDirection.Up, AddressField: nameof(HandoverRecord.FromOrgCode)),
        new(TypeName<RulePackRecord>(), FlowDirection.Down),
    ];

    // Handovers first: the copy of the file changes owner before the new owner's version is staged.
    private static readonly string[] Order = [TypeName<HandoverRecord>(), TypeName<TransferLetterRecord>(), TypeName<Member>(), TypeName<HistoryEntry>(), TypeName<RulePackRecord>()];

    public string Module => db.ModuleId;

    public IReadOnlyList<ReplicaFlow> Flows => Declared;

    public async Task ApplyAsync(IReadOnlyList<IncomingReplica> replicas, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await db.InLargeWriteAsync(() => strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            using (db.ApplyingReplicas())
            {
                foreach (var group in replicas.GroupBy(r => r.RecordType).OrderBy(g => Array.IndexOf(Order, g.Key)))
                {
                    var list = group.ToList();
                    var changed = 0;
                    if (group.Key == TypeName<Member>())
                    {
                        // The temporary chi bộ is an id of the origin's tree; the owner travels by code.
                        changed = await ReplicaStore.StageAsync<Member>(db, list, m => m.TemporaryOrgUnitId = null, cancellationToken);
                    }
                    else if (group.Key == TypeName<HistoryEntry>())
                    {
                        changed = await ReplicaStore.StageAsync<HistoryEntry>(db, list, null, cancellationToken);
                    }
                    else if (group.Key == TypeName<TransferLetterRecord>())
                    {
                        changed = await ReplicaStore.StageAsync(db, list, await handovers.LetterLocalizerAsync(list, cancellationToken), cancellationToken);
                    }
                    else if (group.Key == TypeName<HandoverRecord>())
                    {
                        await handovers.FollowAsync(list, cancellationToken);
                        // Saved now: the staging of this batch's member files reads the stored origin, which must be the new owner's.
                        await db.SaveChangesAsync(cancellationToken);
                        changed = await ReplicaStore.StageAsync<HandoverRecord>(db, list, null, cancellationToken);
                    }
                    else if (group.Key == TypeName<RulePackRecord>())
                    {
                        changed = await ReplicaStore.StageAsync<RulePackRecord>(db, list, null, cancellationToken);
                    }

                    if (changed > 0)
                    {
                        db.Audit("federation.apply", group.Key, "", $"{changed} from {string.Join(",", list.Select(r => r.OriginNode).Distinct())}");
                    }
                }

                // The staged upserts run in this save. On SQLite the names of the members it inserts are added set-based
                // after it, not by the trigger per row (a fifth to a quarter of the upsert's time), as a bulk insert does;
                // only for a batch with member files (dropping a trigger makes every connection re-read the schema), and
                // none deleted: a member inserted after a tombstone can take its rowid, below the mark.
                var members = replicas.Where(r => r.RecordType == TypeName<Member>()).ToList();
                long? named = db.Schema is null && members.Count > 0 && !members.Any(r => r.Deleted)
                    ? await MembersSearchIndex.BeginBulkNamesAsync(db, cancellationToken)
                    : null;
                await db.SaveChangesAsync(cancellationToken);
                if (named is { } mark)
                {
                    await MembersSearchIndex.EndBulkNamesAsync(db, mark, cancellationToken);
                }
            }

            // This node's own side of a handover (closing its letter) is an own write, in the same transaction.
            await handovers.CloseOwnLettersAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }), cancellationToken);

        db.ChangeTracker.Clear();
    }

    private static string TypeName<T>() => typeof(T).GetCustomAttribute<RecordTypeAttribute>()!.Name;
}
