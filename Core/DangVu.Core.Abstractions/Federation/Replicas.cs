using DangVu.Core.Abstractions.Storage;

namespace DangVu.Core.Abstractions.Federation;

/// <summary>Which way a record type travels along the Party tree.</summary>
[Flags]
public enum FlowDirection
{
    /// <summary>From the owner node to every ancestor node (reports: member records).</summary>
    Up = 1,

    /// <summary>From an upper node to the nodes of its subtree (rule data, directives).</summary>
    Down = 2,

    Both = Up | Down,
}

/// <summary>
/// One record type a module replicates: its direction and, for a summary, the only fields that
/// travel (the <see cref="ReplicatedRecord"/> columns always travel); null sends the full record.
/// <paramref name="AddressField"/> names a string property holding an organisation code the
/// record is also addressed to (empty: none): federation routes it up to the common ancestor and
/// down to the node owning that organisation, and applies it there whatever its direction.
/// </summary>
public sealed record ReplicaFlow(string RecordType, FlowDirection Direction, IReadOnlySet<string>? Fields = null, string? AddressField = null);

/// <summary>
/// A record as another node sent it: the origin's id, version and fields (JSON of the record's
/// mapped properties). <see cref="OwnerOrgUnitId"/> is already this node's id of the owner
/// organisation (organisation ids are local; the code travels).
/// </summary>
public sealed record IncomingReplica(
    string RecordType,
    Guid Id,
    string OriginNode,
    long Version,
    bool Deleted,
    Guid OwnerOrgUnitId,
    Classification Classification,
    ReadOnlyMemory<byte> Payload);

/// <summary>
/// A module's side of federation, registered in the module's services. Federation calls
/// <see cref="ApplyAsync"/> with each batch of replicas before it stores the batch's checkpoint
/// (in federation's own storage). The module's storage may be another database, so the apply
/// must be idempotent by (origin, id, version): a version not newer than the stored one changes
/// nothing, and a batch replayed after a crash between the two commits is harmless.
/// <see cref="ReplicaStore.ApplyAsync{T}"/> does this for a <see cref="ModuleDbContext"/>.
/// </summary>
public interface IReplicaHandler
{
    /// <summary>The module id (its storage's id) whose change feed these flows describe.</summary>
    string Module { get; }

    IReadOnlyList<ReplicaFlow> Flows { get; }

    /// <summary>Applies replicas (record types of <see cref="Flows"/> only), in order, in one transaction of the module's storage.</summary>
    Task ApplyAsync(IReadOnlyList<IncomingReplica> replicas, CancellationToken cancellationToken);
}
