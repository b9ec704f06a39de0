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

/// <summary>
/// One entry of a storage's audit trail, written in the same transaction as the change it
/// records. Entries form a hash chain: each hash covers the entry and the previous hash, so an
/// edited, inserted or deleted row breaks the chain (<c>dangvu audit verify</c>).
/// </summary>
public sealed class AuditEntry
{
    public long Sequence { get; set; }

    /// <summary>UTC, truncated to microseconds so that every provider stores exactly what was hashed.</summary>
    public DateTime At { get; set; }

    public int ActorKind { get; set; }

    public string ActorName { get; set; } = "";

    public Guid? ActorUserId { get; set; }

    public string? Address { get; set; }

    public string Module { get; set; } = "";

    public string RecordType { get; set; } = "";

    public string RecordId { get; set; } = "";

    /// <summary>insert, update, delete, or an event such as sign-in.failed or grant.</summary>
    public string Operation { get; set; } = "";

    /// <summary>Names of the changed fields, comma-separated.</summary>
    public string ChangedFields { get; set; } = "";

    public string? Detail { get; set; }

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";
}
