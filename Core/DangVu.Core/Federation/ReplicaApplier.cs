using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Federation.Storage;
using DangVu.Core.Platform;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Federation;

/// <summary>What applying one batch did.</summary>
internal sealed record BatchOutcome(int Applied, int Skipped, long Checkpoint);

/// <summary>
/// Applies a child's batch at the parent: every change is checked first (the child's own
/// records, of the subtree it owns, nothing classified over an internet link) and a refusal
/// writes nothing; then the batch and its checkpoint are written in one transaction,
/// idempotently by (origin node, record id, version), so a replayed batch changes nothing.
/// </summary>
internal sealed class ReplicaApplier(FederationDbContext db, OrganisationDirectory directory, IEnumerable<IReplicaHandler> handlers, NodeKeys keys, TimeProvider clock)
{
    /// <summary>The digest a sender puts on a batch and a receiver checks.</summary>
    public static Google.Protobuf.ByteString Digest(ChangeBatch batch)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(batch.Module));
        hash.AppendData(BitConverter.GetBytes(batch.Checkpoint));
        // Each change's wire bytes, written into one rented buffer: an array per change made most of a
        // large push's fresh memory (a batch is digested by its sender and again by its receiver).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            foreach (var change in batch.Changes)
            {
                var size = change.CalculateSize();
                if (size > buffer.Length)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
                }

                Google.Protobuf.MessageExtensions.WriteTo(change, buffer.AsSpan(0, size));
                hash.AppendData(buffer, 0, size);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return Google.Protobuf.ByteString.CopyFrom(hash.GetHashAndReset());
    }

    public static ChangeBatch Seal(ChangeBatch batch)
    {
        batch.Digest = Digest(batch);
        return batch;
    }

    /// <summary>The largest sealed batch sent: the transport's max message size.</summary>
    public const int MaxBatchBytes = Rpc.GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Writes <paramref name="batch"/> sealed, in parts when larger than the max message size (<see cref="SealInParts"/>); returns how many.</summary>
    public static async Task<int> WriteSealedAsync(Abstractions.Rpc.IAsyncStreamWriter<ChangeBatch> stream, ChangeBatch batch)
    {
        var parts = 0;
        foreach (var part in SealInParts(batch))
        {
            await stream.WriteAsync(part);
            parts++;
        }

        return parts;
    }

    /// <summary>
    /// <paramref name="batch"/> sealed, cut in order into batches of at most <paramref name="maxBytes"/>
    /// when larger (a page of large records would otherwise be refused by the transport). Each part's
    /// checkpoint is its last change's sequence and the last part keeps the batch's, so a receiver that
    /// stops between parts resumes inside the page. A single change larger than the limit goes alone.
    /// </summary>
    public static IEnumerable<ChangeBatch> SealInParts(ChangeBatch batch, int maxBytes = MaxBatchBytes)
    {
        if (Seal(batch).CalculateSize() <= maxBytes)
        {
            yield return batch;
            yield break;
        }

        // A part's own fields: module, checkpoint (no longer than the batch's) and the digest Seal adds.
        var envelope = new ChangeBatch { Module = batch.Module, Checkpoint = batch.Checkpoint, Digest = batch.Digest }.CalculateSize();
        var part = new ChangeBatch { Module = batch.Module };
        var size = envelope;
        foreach (var change in batch.Changes)
        {
            var bytes = Google.Protobuf.CodedOutputStream.ComputeMessageSize(change) + 1;
            if (part.Changes.Count > 0 && size + bytes > maxBytes)
            {
                part.Checkpoint = part.Changes[^1].Sequence;
                yield return Seal(part);
                part = new ChangeBatch { Module = batch.Module };
                size = envelope;
            }

            part.Changes.Add(change);
            size += bytes;
        }

        part.Checkpoint = batch.Checkpoint;
        yield return Seal(part);
    }

    private static void CheckDigest(ChangeBatch batch)
    {
        if (batch.Digest.Length == 0 || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(batch.Digest.Span, Digest(batch).Span))
        {
            throw new Abstractions.Rpc.RpcException(Abstractions.Rpc.StatusCode.DataLoss,
                "Lô thay đổi bị hỏng trên đường truyền (sai mã băm); không có gì được ghi, hãy gửi lại (the batch was damaged in transit: its digest does not match; nothing was written, send it again)");
        }
    }

    /// <summary>A batch a child pushed that <see cref="CheckAsync"/> accepted.</summary>
    public sealed class CheckedBatch
    {
        internal CheckedBatch(ChangeBatch batch)
        {
            Batch = batch;
        }

        public ChangeBatch Batch { get; }
    }

    /// <summary>
    /// At a parent: a batch a child pushed, checked against what the child may send (digest, own records
    /// of its subtree, classification). It touches no storage, so the next batch is checked while one is written.
    /// </summary>
    public async Task<CheckedBatch> CheckAsync(FederationLink link, ChangeBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Module.Length is 0 or > 64)
        {
            throw new InvalidArgumentException("module", "Lô thay đổi thiếu mô-đun", "the batch names no module");
        }

        CheckDigest(batch);
        await AuthorizeAsync(link, batch, cancellationToken);
        return new CheckedBatch(batch);
    }

    /// <summary>
    /// At a parent: writes checked batches of a child, consecutive ones of one module, in one
    /// transaction with the last one's checkpoint (a group commit: the pages a batch dirties are
    /// written once for the group, not once per batch).
    /// </summary>
    public Task<BatchOutcome> ApplyAsync(FederationLink link, IReadOnlyList<CheckedBatch> group, CancellationToken cancellationToken) =>
        WriteAsync(link, [.. group.Select(b => b.Batch)], FlowDirection.Up, cancellationToken);

    /// <summary>At a child: a batch pulled from its parent (authenticated by the parent's CA); only its shape is checked.</summary>
    public async Task<BatchOutcome> ApplyFromParentAsync(FederationLink parent, ChangeBatch batch, CancellationToken cancellationToken)
    {
        CheckDigest(batch);
        foreach (var change in batch.Changes)
        {
            Validate(batch, change);
        }

        return await WriteAsync(parent, [batch], FlowDirection.Down, cancellationToken);
    }

    /// <summary>The module's declaration of <paramref name="recordType"/>; null when the module declares none (its records stay in federation's store).</summary>
    public static ReplicaFlow? FlowOf(IReplicaHandler? handler, string recordType) =>
        handler?.Flows.FirstOrDefault(f => f.RecordType == recordType);

    /// <summary>Writes <paramref name="batches"/> (one module's, in stream order) and the last one's checkpoint in one transaction.</summary>
    private async Task<BatchOutcome> WriteAsync(FederationLink link, IReadOnlyList<ChangeBatch> batches, FlowDirection direction, CancellationToken cancellationToken)
    {
        var module = batches[0].Module;
        if (batches.Any(b => b.Module != module))
        {
            throw new ArgumentException("A group holds batches of one module only.", nameof(batches));
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await db.InLargeWriteAsync(() => strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var checkpoint = await db.Checkpoints.SingleOrDefaultAsync(c => c.FromNode == link.NodeId && c.Module == module, cancellationToken);

            // Batches at or before the stored checkpoint (a replay after a lost acknowledgement) change nothing.
            var through = checkpoint?.Sequence ?? 0;
            int applied = 0, skipped = 0;
            var fresh = new List<ChangeBatch>(batches.Count);
            foreach (var batch in batches)
            {
                if (batch.Checkpoint <= through)
                {
                    skipped += batch.Changes.Count;
                    continue;
                }

                fresh.Add(batch);
                through = batch.Checkpoint;
            }

            if (fresh.Count == 0)
            {
                return new BatchOutcome(0, skipped, checkpoint?.Sequence ?? 0);
            }

            var changes = fresh.SelectMany(b => b.Changes.OrderBy(c => c.Sequence)).ToList();
            var ids = changes.Select(c => Guid.Parse(c.RecordId)).Distinct().ToList();
            var origins = changes.Select(c => c.OriginNode).Distinct().ToList();
            var existing = await db.Replicas.AsNoTracking().Where(r => origins.Contains(r.OriginNode) && ids.Contains(r.RecordId))
                .ToDictionaryAsync(r => (r.OriginNode, r.RecordId), cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var root = keys.IsRoot;
            var changed = new List<ReplicaRecord>();
            // The bytes each replica arrived with, handed to its module as they are (a record changed twice: its last ones).
            var payloads = new Dictionary<ReplicaRecord, ReadOnlyMemory<byte>>(ReferenceEqualityComparer.Instance);
            foreach (var change in changes)
            {
                var id = Guid.Parse(change.RecordId);
                if (!existing.TryGetValue((change.OriginNode, id), out var replica))
                {
                    replica = new ReplicaRecord { OriginNode = change.OriginNode, RecordId = id };
                    existing[(change.OriginNode, id)] = replica;
                }
                else if (replica.Version >= change.Version)
                {
                    skipped++;
                    continue;
                }

                replica.Module = SyncCheckpoint.ModuleOf(module, change.Module);
                replica.RecordType = change.RecordType;
                replica.Version = change.Version;
                replica.Deleted = change.Operation == Operation.Delete;
                replica.OwnerOrgCode = change.OwnerOrgCode;
                replica.AddressOrgCode = change.AddressOrgCode;
                replica.Classification = change.Classification;
                if (replica.Deleted)
                {
                    replica.Payload = "";
                    payloads[replica] = ReadOnlyMemory<byte>.Empty;
                }
                else
                {
                    var valid = System.Text.Unicode.Utf8.IsValid(change.Payload.Span);
                    var keep = KeepsPayload(root, replica, direction);
                    var text = keep || !valid ? change.Payload.ToStringUtf8() : "";
                    replica.Payload = keep ? text : "";
                    // Bytes that are not UTF-8 reach the module as the text does (invalid sequences replaced).
                    payloads[replica] = valid ? change.Payload.Memory : System.Text.Encoding.UTF8.GetBytes(text);
                }

                replica.ReceivedFrom = link.NodeId;
                replica.ReceivedAt = now;
                changed.Add(replica);
                applied++;
            }

            // A record changed twice in the batch is written once, in its last state (the same object).
            var rows = changed.Distinct().ToList();

            // The modules' tables and federation's are separate storages, written side by side (SQLite's
            // calls run synchronously, hence another thread); the modules commit before this transaction
            // does, and idempotently by (origin, id, version), so if this one is lost after theirs, the
            // replayed batch changes nothing there.
            var modules = Task.Run(() => ApplyToModulesAsync(rows, payloads, direction, cancellationToken), CancellationToken.None);
            var relayed = applied > 0 ? WriteRelayedAsync(changed, rows, applied, cancellationToken) : Task.CompletedTask;
            await Task.WhenAll(modules, relayed);

            if (checkpoint is null)
            {
                checkpoint = new SyncCheckpoint { FromNode = link.NodeId, Module = module };
                db.Checkpoints.Add(checkpoint);
            }

            checkpoint.Sequence = through;
            checkpoint.UpdatedAt = now;
            var tracked = await db.Links.SingleAsync(l => l.NodeId == link.NodeId, cancellationToken);
            tracked.Changes += applied;
            tracked.LastSuccessAt = now;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new BatchOutcome(applied, skipped, checkpoint.Sequence);
        }), cancellationToken);
    }

    /// <summary>
    /// Whether the replica's fields are kept here besides the module's copy. Only a relay reads them: up to the
    /// parent (<see cref="FederationPusher"/>) and down to a child what came from the parent or is addressed
    /// (<see cref="SyncService"/>). A root has no parent, so the fields of a record its module stores, addressed
    /// to no one, are never read again; kept, they were two thirds of a root's federation storage. Records no module
    /// here stores are kept whole: federation's copy is then the only one.
    /// </summary>
    private bool KeepsPayload(bool root, ReplicaRecord replica, FlowDirection direction) =>
        !root || replica.AddressOrgCode.Length > 0
        || FlowOf(handlers.FirstOrDefault(h => h.Module == replica.Module), replica.RecordType) is not { } flow || !flow.Direction.HasFlag(direction);

    /// <summary>The replicas, at their positions in this node's relay feed; untracked, set-based, and the guard keeps a newer version stored meanwhile.</summary>
    private async Task WriteRelayedAsync(List<ReplicaRecord> changed, List<ReplicaRecord> rows, int applied, CancellationToken cancellationToken)
    {
        // Positions from a counter incremented atomically (row lock on PostgreSQL).
        await db.Checkpoints.Where(c => c.FromNode == SyncCheckpoint.RelayCounterNode && c.Module == SyncCheckpoint.RelayModule)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Sequence, c => c.Sequence + applied), cancellationToken);
        var top = await db.Checkpoints.Where(c => c.FromNode == SyncCheckpoint.RelayCounterNode && c.Module == SyncCheckpoint.RelayModule)
            .Select(c => c.Sequence).SingleAsync(cancellationToken);
        var next = top - applied;
        foreach (var replica in changed)
        {
            replica.RelaySequence = ++next;
        }

        await new BulkInsert(db).UpsertAsync(typeof(ReplicaRecord), rows, nameof(ReplicaRecord.Version), [], cancellationToken);
    }

    private async Task ApplyToModulesAsync(
        List<ReplicaRecord> changed, Dictionary<ReplicaRecord, ReadOnlyMemory<byte>> payloads, FlowDirection direction, CancellationToken cancellationToken)
    {
        foreach (var group in changed.GroupBy(r => r.Module))
        {
            var handler = handlers.FirstOrDefault(h => h.Module == group.Key);
            var incoming = new List<IncomingReplica>();
            foreach (var replica in group)
            {
                // A record addressed through here (a transfer letter, a handover) is the module's to see whichever way it came.
                if (FlowOf(handler, replica.RecordType) is not { } flow || (!flow.Direction.HasFlag(direction) && replica.AddressOrgCode.Length == 0))
                {
                    continue;
                }

                var owner = replica.OwnerOrgCode.Length == 0 ? null : await directory.FindByCodeAsync(replica.OwnerOrgCode, cancellationToken);
                incoming.Add(new IncomingReplica(replica.RecordType, replica.RecordId, replica.OriginNode, replica.Version, replica.Deleted,
                    owner?.Id ?? Guid.Empty, (Abstractions.Storage.Classification)replica.Classification, payloads[replica]));
            }

            if (incoming.Count > 0)
            {
                await handler!.ApplyAsync(incoming, cancellationToken);
            }
        }
    }

    private async Task AuthorizeAsync(FederationLink link, ChangeBatch batch, CancellationToken cancellationToken)
    {
        var allowed = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var change in batch.Changes)
        {
            Validate(batch, change);

            if (batch.Module == SyncCheckpoint.RelayModule
                    ? change.OriginNode.Length is 0 or > 64 || change.Module.Length is 0 or > 64
                    : change.OriginNode != link.NodeId)
            {
                throw new PermissionDeniedException(
                    $"Nút '{link.NodeId}' chỉ được gửi bản ghi của chính mình, không phải của '{change.OriginNode}'; không có gì được ghi",
                    $"node '{link.NodeId}' may only push its own records, not those of '{change.OriginNode}'; nothing was written");
            }

            if (!allowed.TryGetValue(change.OwnerOrgCode, out var inSubtree))
            {
                inSubtree = await InSubtreeAsync(change.OwnerOrgCode, link.Subtree, cancellationToken);
                allowed[change.OwnerOrgCode] = inSubtree;
            }

            if (!inSubtree)
            {
                throw new PermissionDeniedException(
                    $"Nút '{link.NodeId}' chỉ sở hữu nhánh '{link.Subtree}'; bản ghi của '{change.OwnerOrgCode}' bị từ chối, không có gì được ghi",
                    $"node '{link.NodeId}' owns only the subtree '{link.Subtree}'; a record of '{change.OwnerOrgCode}' is refused and nothing was written");
            }

            if (link.Network == Storage.NetworkClass.Internet && change.Classification > 0)
            {
                throw new PermissionDeniedException(
                    "Bản ghi mật trở lên không được đi qua liên kết Internet; không có gì được ghi",
                    "records classified mật or above never cross an internet link; nothing was written");
            }
        }
    }

    private static void Validate(ChangeBatch batch, Change change)
    {
        if (!Guid.TryParse(change.RecordId, out _) || change.Version <= 0
            || change.Operation is not (Operation.Insert or Operation.Update or Operation.Delete)
            || change.RecordType.Length is 0 or > 128 || change.OriginNode.Length is 0 or > 64
            || change.Sequence <= 0 || change.Sequence > batch.Checkpoint)
        {
            throw new InvalidArgumentException("changes",
                $"Thay đổi #{change.Sequence} không hợp lệ; cả lô bị từ chối",
                $"change #{change.Sequence} is malformed; the whole batch is refused");
        }
    }

    /// <summary>True when the organisation <paramref name="code"/> is <paramref name="subtree"/> or inside it.</summary>
    public async Task<bool> InSubtreeAsync(string code, string subtree, CancellationToken cancellationToken)
    {
        if (code.Length == 0 || await directory.FindByCodeAsync(code, cancellationToken) is not { } unit)
        {
            return false;
        }

        return (await directory.AncestryAsync(unit.Id, cancellationToken)).Any(a => a.Code == subtree);
    }
}
