using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// The base of every record that federation replicates. <see cref="ModuleDbContext"/> keeps
/// <see cref="Version"/> (the optimistic-concurrency token) and the timestamps, and writes a
/// change-feed entry for each insert, update and delete in the same transaction.
/// </summary>
public abstract class ReplicatedRecord
{
    /// <summary>UUID v7: sortable by creation, unique across nodes.</summary>
    [Key]
    [DatabaseGenerated(DatabaseGeneratedOption.None)]
    public Guid Id { get; set; } = RecordIds.NewVersion7();

    /// <summary>The Party organisation that owns the record; decides who may see and change it.</summary>
    public Guid OwnerOrgUnitId { get; set; }

    /// <summary>The node (installation) where the record was created and may be written.</summary>
    [MaxLength(64)]
    public string OriginNode { get; set; } = "";

    /// <summary>Incremented on every saved change; a stale update fails instead of overwriting.</summary>
    [ConcurrencyCheck]
    public long Version { get; set; }

    public Classification Classification { get; set; } = Classification.Normal;

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC.</summary>
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Security classification (độ mật) of a record.</summary>
public enum Classification
{
    /// <summary>Thường.</summary>
    Normal = 0,

    /// <summary>Mật.</summary>
    Confidential = 1,

    /// <summary>Tối mật.</summary>
    Secret = 2,

    /// <summary>Tuyệt mật.</summary>
    TopSecret = 3,
}

/// <summary>
/// Names a record type in the change feed and in federation. Without it the CLR type name is
/// used; give it explicitly so that renaming a class never changes what other nodes see.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RecordTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
