namespace DangVu.Core.Abstractions.Storage;

/// <summary>What happened to a replicated record.</summary>
public enum ChangeOperation
{
    Insert = 1,
    Update = 2,
    Delete = 3,
}

/// <summary>
/// One entry of a module's change feed, written in the same transaction as the change. The
/// sequence is monotonic per module: federation ships entries in sequence order and keeps a
/// checkpoint per module.
/// </summary>
public sealed class ChangeFeedEntry
{
    public long Sequence { get; set; }
    public string Module { get; set; } = "";
    public string RecordType { get; set; } = "";
    public Guid RecordId { get; set; }
    public long Version { get; set; }
    public ChangeOperation Operation { get; set; }
    public Guid OwnerOrgUnitId { get; set; }
    public string OriginNode { get; set; } = "";
    public Classification Classification { get; set; }

    /// <summary>UTC.</summary>
    public DateTime ChangedAt { get; set; }
}

/// <summary>An integration event saved with the publishing transaction, delivered after commit.</summary>
public sealed class OutboxMessage
{
    public long Sequence { get; set; }
    public Guid EventId { get; set; }

    /// <summary>The protobuf full name of the message, which routes it to subscribers.</summary>
    public string EventType { get; set; } = "";
    public byte[] Payload { get; set; } = [];

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC; null until every subscriber has handled it.</summary>
    public DateTime? DispatchedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>Proof that a subscriber handled an event: the key that makes redelivery harmless.</summary>
public sealed class InboxEntry
{
    public Guid EventId { get; set; }
    public string Handler { get; set; } = "";

    /// <summary>UTC.</summary>
    public DateTime ProcessedAt { get; set; }
}
