using System.Reflection;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;

namespace DangVu.Modules.Members.Federation;

/// <summary>
/// What Members replicates: member files and their timelines go up to every ancestor node (read
/// there as replicas in search, profile and statistics of the subtree); rule packs published at
/// an upper node come down and are used by the rule book. Replicas are read-only here.
/// </summary>
internal sealed class MembersReplicaHandler(MembersDbContext db) : IReplicaHandler
{
    private static readonly ReplicaFlow[] Declared =
    [
        new(TypeName<Member>(), FlowDirection.Up),
        new(TypeName<HistoryEntry>(), FlowDirection.Up),
        new(TypeName<RulePackRecord>(), FlowDirection.Down),
    ];

    public string Module => db.ModuleId;

    public IReadOnlyList<ReplicaFlow> Flows => Declared;

    public async Task ApplyAsync(IReadOnlyList<IncomingReplica> replicas, CancellationToken cancellationToken)
    {
        using (db.ApplyingReplicas())
        {
            foreach (var group in replicas.GroupBy(r => r.RecordType))
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
                else if (group.Key == TypeName<RulePackRecord>())
                {
                    changed = await ReplicaStore.StageAsync<RulePackRecord>(db, list, null, cancellationToken);
                }

                if (changed > 0)
                {
                    db.Audit("federation.apply", group.Key, "", $"{changed} from {string.Join(",", list.Select(r => r.OriginNode).Distinct())}");
                }
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
    }

    private static string TypeName<T>() => typeof(T).GetCustomAttribute<RecordTypeAttribute>()!.Name;
}
