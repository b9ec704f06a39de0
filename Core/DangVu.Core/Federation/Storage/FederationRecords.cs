namespace DangVu.Core.Federation.Storage;

/// <summary>Which side of a link this node is on.</summary>
internal enum LinkRole
{
    /// <summary>The other node is this node's parent.</summary>
    Parent = 1,

    /// <summary>The other node is this node's child.</summary>
    Child = 2,
}

internal enum LinkState
{
    /// <summary>Enrolment asked for, not yet approved or accepted.</summary>
    Pending = 1,
    Active = 2,
    Revoked = 3,
}

/// <summary>The network a link runs over: classified records (mật and above) never cross an internet link.</summary>
internal enum NetworkClass
{
    Internal = 1,
    Internet = 2,
}

/// <summary>A link of this node to its parent or to one of its children.</summary>
internal sealed class FederationLink
{
    /// <summary>The other node's id.</summary>
    public string NodeId { get; set; } = "";

    public LinkRole Role { get; set; }

    public LinkState State { get; set; }

    /// <summary>The parent's gRPC address (https), for a parent link.</summary>
    public string? Url { get; set; }

    /// <summary>The organisation code of the subtree the child owns.</summary>
    public string Subtree { get; set; } = "";

    public NetworkClass Network { get; set; }

    /// <summary>SHA-256 thumbprint of the child's certificate (a child link); only that certificate is accepted.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>For a parent link, the enrolment request id at the parent until accepted.</summary>
    public string? RequestId { get; set; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC.</summary>
    public DateTime? LastSuccessAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>UTC.</summary>
    public DateTime? LastErrorAt { get; set; }

    /// <summary>Changes sent (parent link) or applied (child link) in total.</summary>
    public long Changes { get; set; }

    /// <summary>Classified changes held back because the link is on the internet.</summary>
    public long HeldBack { get; set; }

    /// <summary>The lag in changes (parent link): this node's own changes made since the last successful sync, counted when a sync fails; 0 after a success.</summary>
    public long Pending { get; set; }
}

internal enum EnrolmentState
{
    Pending = 1,
    Approved = 2,
    Collected = 3,
    Rejected = 4,
}

/// <summary>A child's request to enrol, at the parent.</summary>
internal sealed class EnrolmentRecord
{
    public string Id { get; set; } = "";

    public string NodeId { get; set; } = "";

    public byte[] Csr { get; set; } = [];

    /// <summary>What the child says it owns (Node:Owns), comma-separated; informative only.</summary>
    public string Owns { get; set; } = "";

    public string? Address { get; set; }

    public EnrolmentState State { get; set; }

    /// <summary>UTC.</summary>
    public DateTime RequestedAt { get; set; }

    public string? Subtree { get; set; }

    public NetworkClass? Network { get; set; }

    /// <summary>SHA-256 of the one-time code, hex; cleared once used.</summary>
    public string? CodeHash { get; set; }

    public byte[]? Certificate { get; set; }
}

/// <summary>A record replicated from another node, as the last version received.</summary>
internal sealed class ReplicaRecord
{
    public string OriginNode { get; set; } = "";

    public string Module { get; set; } = "";

    public string RecordType { get; set; } = "";

    public Guid RecordId { get; set; }

    public long Version { get; set; }

    /// <summary>A tombstone: deleted at its origin.</summary>
    public bool Deleted { get; set; }

    public string OwnerOrgCode { get; set; } = "";

    /// <summary>The organisation outside the owner's subtree the record is addressed to; empty for none.</summary>
    public string AddressOrgCode { get; set; } = "";

    public int Classification { get; set; }

    /// <summary>The record's fields as JSON; empty for a tombstone, and at a root for a record its module stores that no relay reads (<see cref="ReplicaApplier"/>).</summary>
    public string Payload { get; set; } = "";

    /// <summary>The child node it came from.</summary>
    public string ReceivedFrom { get; set; } = "";

    /// <summary>UTC.</summary>
    public DateTime ReceivedAt { get; set; }

    /// <summary>This node's relay feed position: a middle node forwards replicas up in this order.</summary>
    public long RelaySequence { get; set; }
}

/// <summary>
/// How far the change feed of one module of one sending node has been applied here. The row
/// (<see cref="RelayCounterNode"/>, <see cref="RelayModule"/>) is the counter of this node's relay feed.
/// </summary>
internal sealed class SyncCheckpoint
{
    public const string RelayCounterNode = "(local)";

    /// <summary>The pseudo-module under which a middle node forwards its children's records up.</summary>
    public const string RelayModule = "federation.relay";

    /// <summary>At a child: the row (<see cref="HeldNode"/>, module) is how far that module's feed has classified records held back.</summary>
    public const string HeldNode = "(held)";

    /// <summary>Prefix of the pseudo-module under which a child sends its held-back records once the link is internal.</summary>
    public const string HeldPrefix = "federation.held:";

    /// <summary>The module a change of <paramref name="batchModule"/> belongs to.</summary>
    public static string ModuleOf(string batchModule, string changeModule) =>
        batchModule == RelayModule ? changeModule
        : batchModule.StartsWith(HeldPrefix, StringComparison.Ordinal) ? batchModule[HeldPrefix.Length..]
        : batchModule;

    public string FromNode { get; set; } = "";

    public string Module { get; set; } = "";

    public long Sequence { get; set; }

    /// <summary>UTC.</summary>
    public DateTime UpdatedAt { get; set; }
}
