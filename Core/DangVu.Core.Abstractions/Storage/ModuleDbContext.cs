using System.Reflection;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Security;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// The base of a module's DbContext. It places the module's tables in its own schema
/// (PostgreSQL) or file (SQLite), and makes every save write, in the same transaction, a
/// change-feed entry per changed <see cref="ReplicatedRecord"/> and the integration events
/// published with <see cref="Publish"/>, and an audit entry per changed entity (who, when, from
/// where, what) in the storage's hash chain. A stale update throws
/// <see cref="ConcurrencyConflictException"/> and saves nothing.
/// </summary>
public abstract class ModuleDbContext : DbContext
{
    private static readonly HashSet<Type> InfrastructureTypes = [typeof(ChangeFeedEntry), typeof(OutboxMessage), typeof(InboxEntry), typeof(AuditEntry)];

    private readonly ModuleStorageOptionsExtension _storage;
    private readonly List<AuditEntry> _explicitAudit = [];
    private readonly List<Func<CancellationToken, Task>> _replicaWrites = [];
    private bool _applyingReplicas;

    protected ModuleDbContext(DbContextOptions options)
        : base(options)
    {
        _storage = options.FindExtension<ModuleStorageOptionsExtension>()
            ?? throw new InvalidOperationException(
                $"{GetType().Name} was created without the host's module storage options; resolve it from the host's services.");
    }

    public string ModuleId => _storage.ModuleId;

    /// <summary>The module's PostgreSQL schema; null on SQLite.</summary>
    public string? Schema => _storage.Schema;

    /// <summary>This installation's node id, stamped as the origin of new records.</summary>
    public string NodeId => _storage.NodeId;

    public DbSet<ChangeFeedEntry> ChangeFeed => Set<ChangeFeedEntry>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<InboxEntry> Inbox => Set<InboxEntry>();

    public DbSet<AuditEntry> AuditTrail => Set<AuditEntry>();

    /// <summary>
    /// Records an event that is not a row change (a sign-in, a grant) in the audit trail with the
    /// next save, attributed to <see cref="Actor.Current"/>.
    /// </summary>
    public void Audit(string operation, string recordType, string recordId, string? detail = null) =>
        _explicitAudit.Add(NewAuditEntry(Actor.Current, operation, recordType, recordId, "", detail));

    /// <summary>
    /// Publishes an integration event with the next save: it is stored in this module's outbox in
    /// the same transaction and delivered to subscribers after commit, at least once.
    /// </summary>
    public Guid Publish(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outbox = new OutboxMessage
        {
            EventId = Guid.CreateVersion7(),
            EventType = message.Descriptor.FullName,
            Payload = message.ToByteArray(),
            CreatedAt = DateTime.UtcNow,
        };
        Outbox.Add(outbox);
        return outbox.EventId;
    }

    /// <summary>
    /// Until disposed, saves store other nodes' records (replicas) exactly as they came — origin,
    /// version and timestamps kept, no change-feed entry (their origin ships them), no per-row
    /// audit (federation audits the batch) — and refuse this node's own records. Outside it a
    /// replica is read-only: saving one throws <see cref="RuleViolationException"/>.
    /// </summary>
    public IDisposable ApplyingReplicas()
    {
        _applyingReplicas = true;
        return new ReplicaScope(this);
    }

    /// <summary>
    /// An explicit ownership handover (a member transferred to another node's chi bộ): the tracked
    /// <paramref name="record"/> belongs to <paramref name="newOrigin"/> from this save on. Taken
    /// over by this node, it saves as an own record (next version, change-feed entry, audit), so the
    /// version line continues here; handed to another node, it is a replica from then on and saves
    /// only inside <see cref="ApplyingReplicas"/>. Never a silent overwrite: the caller records why.
    /// </summary>
    public void ChangeOrigin(ReplicatedRecord record, string newOrigin)
    {
        ArgumentException.ThrowIfNullOrEmpty(newOrigin);
        var origin = Entry(record).Property(r => r.OriginNode);
        origin.CurrentValue = newOrigin;
        origin.OriginalValue = newOrigin; // the guard judges by the original origin: it now reads as the new owner's
        origin.IsModified = true;
    }

    private sealed class ReplicaScope(ModuleDbContext db) : IDisposable
    {
        public void Dispose() => db._applyingReplicas = false;
    }

    /// <summary>
    /// Stages a set-based write of replicas (bulk upserts, guarded deletes) that the next save runs
    /// in its transaction, before the tracked changes and the audit entries: the batch commits as one.
    /// </summary>
    internal void StageReplicaWrite(Func<CancellationToken, Task> write)
    {
        if (!_applyingReplicas)
        {
            throw new InvalidOperationException("Replica writes are staged only inside ApplyingReplicas().");
        }

        _replicaWrites.Add(write);
    }

    private bool IsReplica(EntityEntry entry) =>
        entry.Entity is ReplicatedRecord
        && (entry.State == EntityState.Added ? ((ReplicatedRecord)entry.Entity).OriginNode : (string?)entry.Property(nameof(ReplicatedRecord.OriginNode)).OriginalValue) is { Length: > 0 } origin
        && origin != NodeId;

    /// <summary>
    /// Inserts new records in bulk (an import) without change tracking — binary COPY on PostgreSQL,
    /// prepared INSERTs on SQLite — in the caller's transaction or one of its own, writing what a save would write for each
    /// record: version 1, timestamps and origin and a change-feed entry, in the order given; the audit
    /// trail gets one entry per record type for the whole insert (<see cref="BulkInsertOperation"/>).
    /// Nothing tracked is saved with it; a failure or cancellation rolls back with the transaction.
    /// <paramref name="progress"/> receives the number of records written.
    /// </summary>
    public Task BulkInsertAsync(IReadOnlyList<ReplicatedRecord> records, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Count == 0
            ? Task.CompletedTask
            : BulkInsertAsync(records.Chunk(BulkChunk).Select(c => (IReadOnlyList<ReplicatedRecord>)c).ToAsyncEnumerable(), progress, cancellationToken);
    }

    /// <summary>
    /// The same for records that arrive in batches while the caller is still producing them (an
    /// import checking its file): each batch is written when it comes, in one transaction for all;
    /// an exception from <paramref name="batches"/> rolls everything back. Between batches the
    /// source may use this context (it is not in use then). On SQLite the tables of <paramref name="indexedAfterRows"/>
    /// (record types whose indexes take the rows in random order: names, numbers) get their indexes built after the
    /// rows when they hold few (<see cref="SqliteIndexDeferral"/>); the feed and others take rows in key order anyway.
    /// </summary>
    public async Task BulkInsertAsync(
        IAsyncEnumerable<IReadOnlyList<ReplicatedRecord>> batches, IProgress<int>? progress, CancellationToken cancellationToken, IReadOnlyCollection<Type>? indexedAfterRows = null)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await InLargeWriteAsync(() => BulkInsertCoreAsync(batches, progress, indexedAfterRows, cancellationToken), buildsIndexes: true, cancellationToken);
    }

    private async Task BulkInsertCoreAsync(
        IAsyncEnumerable<IReadOnlyList<ReplicatedRecord>> batches, IProgress<int>? progress, IReadOnlyCollection<Type>? indexedAfterRows, CancellationToken cancellationToken)
    {
        var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var sqlite = Database.ProviderName == SqliteProvider;
        try
        {
            await _storage.Hooks.BeforeChangeFeedWriteAsync(this, cancellationToken);
            var writer = new BulkInsert(this);
            var deferral = sqlite ? new SqliteIndexDeferral(this) : null;
            var now = DateTime.UtcNow;
            var types = new Dictionary<Type, BulkAudit>();
            var written = 0;
            await foreach (var chunk in batches.WithCancellation(cancellationToken))
            {
                var feed = new List<ChangeFeedEntry>(chunk.Count);
                foreach (var record in chunk)
                {
                    record.Version = 1;
                    record.CreatedAt = now;
                    record.UpdatedAt = now;
                    if (record.OriginNode.Length == 0)
                    {
                        record.OriginNode = NodeId;
                    }

                    if (!types.TryGetValue(record.GetType(), out var type))
                    {
                        var entityType = Model.FindEntityType(record.GetType())
                            ?? throw new InvalidOperationException($"{record.GetType().Name} is not mapped by {GetType().Name}.");
                        type = new BulkAudit(RecordTypeName(entityType.ClrType), InsertedFields(entityType));
                        types[record.GetType()] = type;
                        if (deferral is not null && indexedAfterRows?.Contains(record.GetType()) == true)
                        {
                            await deferral.DeferAsync(entityType.GetTableName()!, cancellationToken);
                        }
                    }

                    type.Add(record.Id);
                    feed.Add(new ChangeFeedEntry
                    {
                        Module = ModuleId, RecordType = type.RecordType, RecordId = record.Id, Version = 1, Operation = ChangeOperation.Insert,
                        OwnerOrgUnitId = record.OwnerOrgUnitId, OriginNode = record.OriginNode, Classification = record.Classification, ChangedAt = now,
                    });
                }

                foreach (var group in chunk.GroupBy(r => r.GetType()))
                {
                    await writer.WriteAsync(group.Key, group.ToList(), cancellationToken);
                }

                await writer.WriteAsync(typeof(ChangeFeedEntry), feed, cancellationToken);
                written += chunk.Count;
                progress?.Report(written);
            }

            if (deferral is not null)
            {
                await deferral.RestoreAsync(cancellationToken);
            }

            // One audit entry per record type for the whole insert, in the hash chain: who wrote how many records,
            // and a digest of their ids in order. Each record's own insert is in the change feed (and, for members,
            // their timeline); an entry per record made the audit trail the largest table and most of the import's work.
            var previous = await AuditTrail.OrderByDescending(a => a.Sequence).Select(a => a.Hash).FirstOrDefaultAsync(cancellationToken)
                ?? AuditChain.Genesis;
            var audit = new List<AuditEntry>(types.Count);
            foreach (var type in types.Values)
            {
                var entry = NewAuditEntry(Actor.Current, BulkInsertOperation, type.RecordType, "", type.Fields, type.Detail());
                entry.PreviousHash = previous;
                entry.Hash = AuditChain.ComputeHash(entry);
                previous = entry.Hash;
                audit.Add(entry);
            }

            await writer.WriteAsync(typeof(AuditEntry), audit, cancellationToken);

            // Planner statistics for the new rows: without them PostgreSQL plans blind until autovacuum, SQLite for good.
            if (written >= AnalyzeAfter)
            {
                // SQLite reads every entry of every index for exact figures (a second for 500,000 members); a sample of each index plans as well.
                if (sqlite)
                {
                    await Database.ExecuteSqlRawAsync("PRAGMA analysis_limit = 1000", cancellationToken);
                }

                foreach (var table in writer.Tables)
                {
                    // The name comes from the model, delimited by the provider; nothing of the caller's.
                    var analyze = "ANALYZE " + table;
                    await Database.ExecuteSqlRawAsync(analyze, cancellationToken);
                }
            }

            if (transaction is not null)
            {
                // A small insert's WAL is small: its commit checkpoints as any save's does.
                await (written >= AnalyzeAfter ? CommitBulkAsync(transaction, cancellationToken) : transaction.CommitAsync(cancellationToken));
            }
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    private const string LargeWritePragmas = "PRAGMA cache_size = -262144"; // 256 MB
    private const string IndexBuildPragmas = "PRAGMA cache_size = -1048576"; // 1 GB
    private const string DefaultPragmas = "PRAGMA cache_size = -2000; PRAGMA analysis_limit = 0";

    /// <summary>
    /// Runs <paramref name="write"/>, a large write (a federation batch, a module's own bulk write: thousands of rows into
    /// every index of their tables, in one transaction), on one connection opened for it. On SQLite its page cache is 256 MB
    /// for the write: at the default 2 MB such a transaction spills index pages to the WAL and reads them back.
    /// The defaults are restored on that same connection before it goes back to the pool
    /// (a transaction closes a connection it opened itself when it commits, and a reopened one may be another).
    /// </summary>
    public Task<T> InLargeWriteAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken) =>
        InLargeWriteAsync(write ?? throw new ArgumentNullException(nameof(write)), buildsIndexes: false, cancellationToken);

    /// <inheritdoc cref="InLargeWriteAsync{T}(Func{Task{T}}, CancellationToken)"/>
    public Task InLargeWriteAsync(Func<Task> write, CancellationToken cancellationToken) =>
        InLargeWriteAsync(write ?? throw new ArgumentNullException(nameof(write)), buildsIndexes: false, cancellationToken);

    private Task InLargeWriteAsync(Func<Task> write, bool buildsIndexes, CancellationToken cancellationToken) =>
        InLargeWriteAsync(async () =>
        {
            await write();
            return true;
        }, buildsIndexes, cancellationToken);

    /// <param name="buildsIndexes">
    /// The write builds its tables' indexes after the rows (a bulk insert): each index build reads the whole table again, and
    /// the rows written in the transaction are in the WAL, not yet in the database file. On SQLite its cache is then 1 GB,
    /// so that 500,000 members (400 MB) are read from memory by each of their six index builds instead of again from the
    /// WAL (0.4–0.8 s of a 10 s import, for 100–300 MB more at its peak). The index builds themselves sort in small runs on
    /// helper threads (<see cref="SqliteIndexDeferral.RestoreAsync"/>).
    /// </param>
    private async Task<T> InLargeWriteAsync<T>(Func<Task<T>> write, bool buildsIndexes, CancellationToken cancellationToken)
    {
        var sqlite = Database.ProviderName == SqliteProvider;
        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (sqlite)
            {
                await Database.ExecuteSqlRawAsync(buildsIndexes ? IndexBuildPragmas : LargeWritePragmas, cancellationToken);
            }

            return await write();
        }
        finally
        {
            if (sqlite)
            {
                await Database.ExecuteSqlRawAsync(DefaultPragmas, CancellationToken.None);
            }

            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Commits a bulk insert's transaction. On SQLite the commit is durable once the WAL is written and synced; copying
    /// the WAL's pages into the database file (the checkpoint SQLite would run inside this commit: as long again for an
    /// import of 500,000 members) is left to a connection in the background, which readers and writers do not wait for.
    /// </summary>
    public async Task CommitBulkAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (Database.GetDbConnection() is not Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        // On the connection that commits, kept open past the commit (which closes the one a transaction opened), so that
        // the setting is restored on it before it goes back to the pool.
        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await SqliteWal.AutoCheckpointAsync(sqlite, enabled: false, cancellationToken);
            try
            {
                await transaction.CommitAsync(cancellationToken);
            }
            finally
            {
                await SqliteWal.AutoCheckpointAsync(sqlite, enabled: true, CancellationToken.None);
            }
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }

        SqliteWal.CheckpointInBackground(sqlite.ConnectionString);
    }

    // What a tracked insert lists as changed: every property but the version and update stamp.
    private static string InsertedFields(Microsoft.EntityFrameworkCore.Metadata.IEntityType type) =>
        string.Join(",", type.GetProperties().Select(p => p.Name)
            .Where(f => f is not nameof(ReplicatedRecord.Version) and not nameof(ReplicatedRecord.UpdatedAt)));

    /// <summary>The audit operation of a bulk insert: one entry per record type for all its records (<see cref="BulkAudit"/>).</summary>
    public const string BulkInsertOperation = "bulk-insert";

    /// <summary>
    /// What the audit entry of a bulk insert says of one record type: the number of records, the first and last
    /// id, and the SHA-256 of every id in insertion order (each as 36 characters and a line feed), so that the
    /// chain attests exactly which records the insert wrote.
    /// </summary>
    private sealed class BulkAudit(string recordType, string fields)
    {
        private readonly System.Security.Cryptography.IncrementalHash _ids = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        private Guid _first;
        private Guid _last;
        private int _count;

        public string RecordType => recordType;

        public string Fields => fields;

        public void Add(Guid id)
        {
            Span<byte> text = stackalloc byte[37];
            id.TryFormat(text, out _, "D");
            text[36] = (byte)'\n';
            _ids.AppendData(text);
            _first = _count++ == 0 ? id : _first;
            _last = id;
        }

        /// <summary>The entry's detail (JSON); ends the digest.</summary>
        public string Detail()
        {
            var digest = Convert.ToHexStringLower(_ids.GetHashAndReset());
            _ids.Dispose();
            return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["records"] = _count, ["first"] = _first.ToString(), ["last"] = _last.ToString(), ["ids_sha256"] = digest,
            });
        }
    }

    private const int AnalyzeAfter = 10_000;

    /// <summary>Records per batch of a bulk insert given as a list (feed and audit entries are built a batch at a time).</summary>
    public const int BulkChunk = 10_000;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        if (Schema is not null)
        {
            modelBuilder.HasDefaultSchema(Schema);
        }

        modelBuilder.Entity<ChangeFeedEntry>(b =>
        {
            b.ToTable(InfrastructureTables.ChangeFeed);
            b.HasKey(e => e.Sequence);
            b.Property(e => e.Module).HasMaxLength(64);
            b.Property(e => e.RecordType).HasMaxLength(128);
            b.Property(e => e.OriginNode).HasMaxLength(64);
        });
        modelBuilder.Entity<OutboxMessage>(b =>
        {
            b.ToTable(InfrastructureTables.Outbox);
            b.HasKey(e => e.Sequence);
            b.Property(e => e.EventType).HasMaxLength(256);
            b.HasIndex(e => e.EventId).IsUnique();
            b.HasIndex(e => e.DispatchedAt);
        });
        modelBuilder.Entity<InboxEntry>(b =>
        {
            b.ToTable(InfrastructureTables.Inbox);
            b.HasKey(e => new { e.EventId, e.Handler });
            b.Property(e => e.Handler).HasMaxLength(256);
        });
        modelBuilder.Entity<AuditEntry>(b =>
        {
            b.ToTable(InfrastructureTables.Audit);
            b.HasKey(e => e.Sequence);
            b.Property(e => e.ActorName).HasMaxLength(128);
            b.Property(e => e.Address).HasMaxLength(64);
            b.Property(e => e.Module).HasMaxLength(64);
            b.Property(e => e.RecordType).HasMaxLength(128);
            b.Property(e => e.RecordId).HasMaxLength(64);
            b.Property(e => e.Operation).HasMaxLength(64);
            b.Property(e => e.PreviousHash).HasMaxLength(64);
            b.Property(e => e.Hash).HasMaxLength(64);
            b.HasIndex(e => e.At);
        });
    }

    public sealed override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesCoreAsync(acceptAllChangesOnSuccess, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public sealed override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        SaveChangesCoreAsync(acceptAllChangesOnSuccess, async: true, cancellationToken);

    // A save always accepts its changes: the audit entries are written by a second save in the
    // same transaction, once generated keys are known.
    private async Task<int> SaveChangesCoreAsync(bool acceptAll, bool async, CancellationToken cancellationToken)
    {
        _ = acceptAll;
        ChangeTracker.DetectChanges();
        var audited = CaptureAudit();
        var stamped = StampReplicatedRecords();
        var publishes = ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added);
        var chained = stamped.FeedEntries.Count > 0 || audited.Count > 0 || _replicaWrites.Count > 0;
        var ownTransaction = chained && Database.CurrentTransaction is null;
        try
        {
            int saved;
            if (ownTransaction)
            {
                await using var transaction = async
                    ? await Database.BeginTransactionAsync(cancellationToken)
                    : Database.BeginTransaction();
                saved = await SaveWithAuditAsync(audited, async, cancellationToken);
                if (async)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
                else
                {
                    transaction.Commit();
                }
            }
            else if (chained)
            {
                saved = await SaveWithAuditAsync(audited, async, cancellationToken);
            }
            else
            {
                saved = async ? await base.SaveChangesAsync(true, cancellationToken) : base.SaveChanges(true);
            }

            // Like tracked changes, staged writes stay for a retry until a save succeeds.
            _replicaWrites.Clear();

            // Inside a caller's transaction the dispatcher's periodic sweep delivers after commit.
            if (publishes && Database.CurrentTransaction is null)
            {
                _storage.Hooks.OutboxCommitted(ModuleId);
            }

            return saved;
        }
        catch (DbUpdateConcurrencyException ex)
        {
            stamped.Undo();
            var entry = ex.Entries.FirstOrDefault();
            var what = entry is null ? "bản ghi" : RecordTypeName(entry.Metadata.ClrType);
            throw new ConcurrencyConflictException(
                $"Người khác vừa thay đổi {what} này; không có gì được lưu. Hãy tải lại rồi làm lại thao tác.",
                $"Someone else changed this {what} since it was read; nothing was saved. Reload and try again.",
                ex);
        }
        catch
        {
            stamped.Undo();
            throw;
        }
    }

    private async Task<int> SaveWithAuditAsync(List<PendingAudit> audited, bool async, CancellationToken cancellationToken)
    {
        await _storage.Hooks.BeforeChangeFeedWriteAsync(this, cancellationToken);
        foreach (var write in _replicaWrites)
        {
            // Only staged by ReplicaStore, whose callers save asynchronously; a sync save waits on the same task.
            await write(cancellationToken);
        }

        var saved = async ? await base.SaveChangesAsync(true, cancellationToken) : base.SaveChanges(true);
        if (audited.Count == 0)
        {
            return saved;
        }

        // Under the writers' lock (PostgreSQL) or SQLite's write transaction: the chain stays linear.
        var previous = async
            ? await AuditTrail.OrderByDescending(a => a.Sequence).Select(a => a.Hash).FirstOrDefaultAsync(cancellationToken)
            : AuditTrail.OrderByDescending(a => a.Sequence).Select(a => a.Hash).FirstOrDefault();
        previous ??= AuditChain.Genesis;
        foreach (var pending in audited)
        {
            var entry = pending.Entry;
            if (pending.Source is not null)
            {
                entry.RecordId = KeyOf(pending.Source);
            }

            entry.PreviousHash = previous;
            entry.Hash = AuditChain.ComputeHash(entry);
            previous = entry.Hash;
            AuditTrail.Add(entry);
        }

        _explicitAudit.Clear();
        saved += async ? await base.SaveChangesAsync(true, cancellationToken) : base.SaveChanges(true);
        return saved;
    }

    private List<PendingAudit> CaptureAudit()
    {
        var actor = Actor.Current;
        var pending = new List<PendingAudit>();
        foreach (var entry in ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            if (InfrastructureTypes.Contains(entry.Metadata.ClrType) || (_applyingReplicas && IsReplica(entry)))
            {
                continue;
            }

            var (operation, fields) = entry.State switch
            {
                EntityState.Added => ("insert", entry.Properties.Select(p => p.Metadata.Name)),
                EntityState.Modified => ("update", entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name)),
                _ => ("delete", []),
            };
            var changed = string.Join(",", fields.Where(f => f is not nameof(ReplicatedRecord.Version) and not nameof(ReplicatedRecord.UpdatedAt)));
            pending.Add(new PendingAudit(
                NewAuditEntry(actor, operation, RecordTypeName(entry.Metadata.ClrType), "", changed, null),
                entry.State == EntityState.Deleted ? null : entry));
            if (entry.State == EntityState.Deleted)
            {
                pending[^1].Entry.RecordId = KeyOf(entry);
            }
        }

        pending.AddRange(_explicitAudit.Select(e => new PendingAudit(e, null)));
        return pending;
    }

    private AuditEntry NewAuditEntry(Actor actor, string operation, string recordType, string recordId, string changedFields, string? detail) => new()
    {
        At = AuditChain.Normalize(DateTime.UtcNow),
        ActorKind = (int)actor.Kind,
        ActorName = actor.Name,
        ActorUserId = actor.UserId,
        Address = actor.Address,
        Module = ModuleId,
        RecordType = recordType,
        RecordId = recordId,
        Operation = operation,
        ChangedFields = changedFields,
        Detail = detail,
    };

    private static string KeyOf(EntityEntry entry) =>
        string.Join("/", entry.Metadata.FindPrimaryKey()?.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)) ?? []);

    private sealed record PendingAudit(AuditEntry Entry, EntityEntry? Source);

    private Stamped StampReplicatedRecords()
    {
        var now = DateTime.UtcNow;
        var stamped = new Stamped();
        var entries = ChangeTracker.Entries<ReplicatedRecord>().ToList();
        foreach (var entry in entries)
        {
            // Checked before anything is stamped, so that a refusal leaves the context as it was.
            if ((entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted) && IsReplica(entry) != _applyingReplicas)
            {
                throw _applyingReplicas
                    ? new InvalidOperationException($"Only other nodes' records are saved while applying replicas, not {RecordTypeName(entry.Metadata.ClrType)} {entry.Entity.Id} of this node.")
                    : ReplicaReadOnly(RecordTypeName(entry.Metadata.ClrType), entry.State == EntityState.Added ? entry.Entity.OriginNode : entry.Property(r => r.OriginNode).OriginalValue);
            }
        }

        if (_applyingReplicas)
        {
            return stamped;
        }

        foreach (var entry in entries)
        {
            var record = entry.Entity;
            ChangeOperation operation;
            switch (entry.State)
            {
                case EntityState.Added:
                    stamped.Remember(entry);
                    record.Version = 1;
                    record.CreatedAt = now;
                    record.UpdatedAt = now;
                    if (record.OriginNode.Length == 0)
                    {
                        record.OriginNode = NodeId;
                    }

                    operation = ChangeOperation.Insert;
                    break;
                case EntityState.Modified:
                    stamped.Remember(entry);
                    record.Version = entry.Property(r => r.Version).OriginalValue + 1;
                    record.UpdatedAt = now;
                    operation = ChangeOperation.Update;
                    break;
                case EntityState.Deleted:
                    operation = ChangeOperation.Delete;
                    break;
                default:
                    continue;
            }

            var feed = new ChangeFeedEntry
            {
                Module = ModuleId,
                RecordType = RecordTypeName(entry.Metadata.ClrType),
                RecordId = record.Id,
                Version = operation == ChangeOperation.Delete
                    ? entry.Property(r => r.Version).OriginalValue + 1
                    : record.Version,
                Operation = operation,
                OwnerOrgUnitId = record.OwnerOrgUnitId,
                OriginNode = record.OriginNode.Length == 0 ? NodeId : record.OriginNode,
                Classification = record.Classification,
                ChangedAt = now,
            };
            stamped.FeedEntries.Add(ChangeFeed.Add(feed));
        }

        return stamped;
    }

    /// <summary>The refusal of a write to another node's record (FAILED_PRECONDITION over gRPC).</summary>
    public static RuleViolationException ReplicaReadOnly(string what, string ownerNode) => new("federation.replica-read-only",
        $"Bản ghi {what} là bản sao chỉ đọc; chỉ nút sở hữu '{ownerNode}' mới được sửa, không có gì được lưu",
        $"this {what} is a read-only replica; only its owner node '{ownerNode}' may change it; nothing was saved");

    // Cached: a bulk insert asks once per record, and attribute look-ups allocate.
    private static string RecordTypeName(Type type) =>
        RecordTypeNames.GetOrAdd(type, t => t.GetCustomAttribute<RecordTypeAttribute>()?.Name ?? t.Name);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> RecordTypeNames = new();

    /// <summary>What a save stamped, so that a failed save leaves the context as the caller left it.</summary>
    private sealed class Stamped
    {
        private readonly List<(ReplicatedRecord Record, long Version, DateTime CreatedAt, DateTime UpdatedAt, string Origin)> _before = [];

        public List<EntityEntry<ChangeFeedEntry>> FeedEntries { get; } = [];

        public void Remember(EntityEntry<ReplicatedRecord> entry)
        {
            var r = entry.Entity;
            _before.Add((r, r.Version, r.CreatedAt, r.UpdatedAt, r.OriginNode));
        }

        public void Undo()
        {
            foreach (var feed in FeedEntries)
            {
                feed.State = EntityState.Detached;
            }

            foreach (var (record, version, created, updated, origin) in _before)
            {
                record.Version = version;
                record.CreatedAt = created;
                record.UpdatedAt = updated;
                record.OriginNode = origin;
            }
        }
    }
}
