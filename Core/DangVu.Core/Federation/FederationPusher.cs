using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Federation.Storage;
using DangVu.Core.Platform;
using DangVu.Core.Rpc.Client;
using DangVu.Core.Storage;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Federation;

/// <summary>What one push to the parent did.</summary>
internal sealed record PushReport(string Parent, int Batches, int Applied, int Skipped, long HeldBack)
{
    /// <summary>Changes pulled down from the parent and applied here.</summary>
    public int Pulled { get; init; }
}

/// <summary>
/// At a child: pushes the up-bound entries of every module's change feed (this node's own
/// records, with their current fields) to the parent, as a stream of batches per module,
/// resuming after the checkpoint the parent reports. Classified records are held back on an
/// internet link.
/// </summary>
internal sealed class FederationPusher(IServiceScopeFactory scopes, NodeKeys keys, IConfiguration configuration, TimeProvider clock)
{
    /// <summary>Storages whose feeds never go up: Core's own (the tree is configured per node) and federation's.</summary>
    internal static readonly HashSet<string> LocalStorages = [CoreDbContext.StorageId, FederationDbContext.StorageId];

    private static readonly MethodInfo LoadMethod = typeof(FederationPusher).GetMethod(nameof(LoadRecordsAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private int BatchSize => Math.Clamp(configuration.GetValue("Federation:BatchSize", 500), 1, 5000);

    /// <summary>Pushes everything pending; null when the node has no active parent.</summary>
    public async Task<PushReport?> PushAsync(CancellationToken cancellationToken)
    {
        FederationLink? parent;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FederationDbContext>();
            parent = await db.Links.AsNoTracking().SingleOrDefaultAsync(l => l.Role == LinkRole.Parent && l.State == LinkState.Active, cancellationToken);
        }

        if (parent is null)
        {
            return null;
        }

        try
        {
            var report = await PushToAsync(parent, cancellationToken);
            await RecordAsync(parent.NodeId, link =>
            {
                link.LastSuccessAt = clock.GetUtcNow().UtcDateTime;
                link.LastError = null;
                link.Changes += report.Applied;
                link.HeldBack = report.HeldBack;
                link.Pending = 0;
            }, cancellationToken);
            return report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var unsent = await UnsentAsync(parent.LastSuccessAt, CancellationToken.None);
            await RecordAsync(parent.NodeId, link =>
            {
                link.Pending = unsent;
                link.LastError = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
                link.LastErrorAt = clock.GetUtcNow().UtcDateTime;
            }, CancellationToken.None);
            throw;
        }
    }

    private async Task<PushReport> PushToAsync(FederationLink parent, CancellationToken cancellationToken)
    {
        using var certificate = keys.LoadNodeCertificate();
        using var parentCa = keys.LoadParentCa();
        using var channel = GrpcChannel.ForAddress(parent.Url!, new GrpcChannelOptions
        {
            ClientCertificates = [certificate],
            ServerCertificateValidation = (_, presented, _, _) =>
            {
                if (presented is null)
                {
                    return false;
                }

                using var server = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
                return FederationTrust.ChainsTo(server, parentCa);
            },
        });
        var client = new ServiceClient(channel, FederationReflection.Descriptor.Services[1]);
        int batches = 0, applied = 0, skipped = 0;
        long heldBack = 0;
        await using var scope = scopes.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<OrganisationDirectory>();
        var federation = scope.ServiceProvider.GetRequiredService<FederationDbContext>();
        foreach (var storage in scope.ServiceProvider.GetServices<ModuleStorage>().Where(s => !LocalStorages.Contains(s.ModuleId)))
        {
            var db = storage.Resolve(scope.ServiceProvider);
            var handler = HandlerOf(scope.ServiceProvider, storage.ModuleId);
            var checkpoint = await CheckpointAsync(client, storage.ModuleId, cancellationToken);

            // The parent's word on the link's network class wins: a link reclassified there is used as such from now on.
            var network = checkpoint.Network switch
            {
                Contracts.Federation.V1.NetworkClass.Internet => Storage.NetworkClass.Internet,
                Contracts.Federation.V1.NetworkClass.Internal => Storage.NetworkClass.Internal,
                _ => parent.Network,
            };
            if (network != parent.Network)
            {
                parent.Network = network;
                await RecordAsync(parent.NodeId, link => link.Network = network, cancellationToken);
            }

            // Classified records skipped on an internet link wait in a queue: the feed up to heldUpTo,
            // sent under their own checkpoint at the parent once the link is internal.
            var heldModule = SyncCheckpoint.HeldPrefix + storage.ModuleId;
            var heldUpTo = await federation.Checkpoints.Where(c => c.FromNode == SyncCheckpoint.HeldNode && c.Module == storage.ModuleId)
                .Select(c => (long?)c.Sequence).SingleOrDefaultAsync(cancellationToken) ?? 0;
            var heldFrom = heldUpTo == 0 ? 0 : (await CheckpointAsync(client, heldModule, cancellationToken)).Sequence;
            var upTypes = handler?.Flows.Where(f => f.Direction.HasFlag(FlowDirection.Up)).Select(f => f.RecordType).ToList();
            var classified = db.ChangeFeed.Where(e => e.OriginNode == keys.NodeId && e.Classification > Classification.Normal
                && (upTypes == null || upTypes.Contains(e.RecordType)));
            var streams = new List<Streamed>();
            if (network == Storage.NetworkClass.Internal && heldUpTo > heldFrom)
            {
                streams.Add(await StreamAsync(client, db, directory, heldModule, classified.Where(e => e.Sequence > heldFrom && e.Sequence <= heldUpTo), network, handler, cancellationToken));
                heldFrom = heldUpTo;
            }

            var main = await StreamAsync(client, db, directory, storage.ModuleId, db.ChangeFeed.Where(e => e.Sequence > checkpoint.Sequence), network, handler, cancellationToken);
            streams.Add(main);
            if (main.HeldBack > 0)
            {
                heldUpTo = main.Checkpoint;
                await SaveHeldUpToAsync(federation, storage.ModuleId, heldUpTo, cancellationToken);
            }

            if (network == Storage.NetworkClass.Internet)
            {
                heldBack += await classified.CountAsync(e => e.Sequence > heldFrom && e.Sequence <= heldUpTo, cancellationToken);
            }

            batches += streams.Sum(s => s.Batches);
            applied += streams.Sum(s => s.Applied);
            skipped += streams.Sum(s => s.Skipped);
        }

        var relay = await PushRelayAsync(client, scope.ServiceProvider.GetRequiredService<FederationDbContext>(), parent, cancellationToken);
        var pulled = await PullAsync(client, scope.ServiceProvider, parent, cancellationToken);
        return new PushReport(parent.NodeId, batches + relay.Batches, applied + relay.Applied, skipped + relay.Skipped, heldBack + relay.HeldBack) { Pulled = pulled };
    }

    /// <summary>The lag in changes: this node's own changes since the last successful sync, in every module's feed.</summary>
    private async Task<long> UnsentAsync(DateTime? since, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        long unsent = 0;
        foreach (var storage in scope.ServiceProvider.GetServices<ModuleStorage>().Where(s => !LocalStorages.Contains(s.ModuleId)))
        {
            unsent += await storage.Resolve(scope.ServiceProvider).ChangeFeed
                .CountAsync(e => e.OriginNode == keys.NodeId && (since == null || e.ChangedAt > since), cancellationToken);
        }

        return unsent;
    }

    private sealed record Streamed(int Batches, int Applied, int Skipped, int HeldBack, long Checkpoint);

    private static Task<Checkpoint> CheckpointAsync(ServiceClient client, string module, CancellationToken cancellationToken) =>
        client.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = module },
            CallOptions.Default.WithTimeout(TimeSpan.FromSeconds(30)) with { CancellationToken = cancellationToken });

    /// <summary>Pushes the feed entries of <paramref name="source"/> as one stream of batches named <paramref name="batchModule"/>.</summary>
    private async Task<Streamed> StreamAsync(ServiceClient client, ModuleDbContext db, OrganisationDirectory directory, string batchModule,
        IQueryable<ChangeFeedEntry> source, Storage.NetworkClass network, IReplicaHandler? handler, CancellationToken cancellationToken)
    {
        if (!await source.AnyAsync(cancellationToken))
        {
            return new Streamed(0, 0, 0, 0, 0);
        }

        await using var call = client.Start<ChangeBatch, PushResult>("Push", CallOptions.Default with { CancellationToken = cancellationToken });
        long from = 0;
        int batches = 0, held = 0;
        while (true)
        {
            var page = await source.AsNoTracking().Where(e => e.Sequence > from).OrderBy(e => e.Sequence).Take(BatchSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var (batch, skippedHere) = await BuildBatchAsync(db, directory, batchModule, page, network, keys.NodeId, handler, FlowDirection.Up, static (_, _) => true, cancellationToken);
            held += skippedHere;
            batches += await ReplicaApplier.WriteSealedAsync(call.RequestStream, batch);
            from = batch.Checkpoint;
            db.ChangeTracker.Clear();
        }

        await call.RequestStream.CompleteAsync();
        if (!await call.ResponseStream.MoveNext(cancellationToken))
        {
            throw new RpcException(call.GetStatus());
        }

        return new Streamed(batches, call.ResponseStream.Current.Applied, call.ResponseStream.Current.Skipped, held, from);
    }

    private static async Task SaveHeldUpToAsync(FederationDbContext db, string module, long sequence, CancellationToken cancellationToken)
    {
        var row = await db.Checkpoints.SingleOrDefaultAsync(c => c.FromNode == SyncCheckpoint.HeldNode && c.Module == module, cancellationToken);
        if (row is null)
        {
            row = new SyncCheckpoint { FromNode = SyncCheckpoint.HeldNode, Module = module };
            db.Checkpoints.Add(row);
        }

        row.Sequence = sequence;
        row.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Pulls, per module this node has, the parent's changes addressed to this node's subtree, resuming after the local checkpoint.</summary>
    private static async Task<int> PullAsync(ServiceClient client, IServiceProvider services, FederationLink parent, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<FederationDbContext>();
        var applier = services.GetRequiredService<ReplicaApplier>();
        var pulled = 0;
        // Each module's own records at the parent, then what the parent passes on from above it.
        var modules = services.GetServices<ModuleStorage>().Where(s => !LocalStorages.Contains(s.ModuleId)).Select(s => s.ModuleId).Append(SyncCheckpoint.RelayModule);
        foreach (var module in modules)
        {
            var after = await db.Checkpoints.Where(c => c.FromNode == parent.NodeId && c.Module == module)
                .Select(c => (long?)c.Sequence).SingleOrDefaultAsync(cancellationToken) ?? 0;
            await foreach (var batch in client.ServerStreamingAsync<PullRequest, ChangeBatch>("Pull",
                new PullRequest { Module = module, After = after, Subtree = parent.Subtree },
                CallOptions.Default with { CancellationToken = cancellationToken }))
            {
                pulled += (await applier.ApplyFromParentAsync(parent, batch, cancellationToken)).Applied;
                db.ChangeTracker.Clear();
            }
        }

        return pulled;
    }

    /// <summary>A middle node forwards what its children pushed (its replicas) up, in relay-feed order.</summary>
    private async Task<PushReport> PushRelayAsync(ServiceClient client, FederationDbContext db, FederationLink parent, CancellationToken cancellationToken)
    {
        var network = parent.Network;
        var relayed = db.Replicas.Where(r => r.ReceivedFrom != parent.NodeId); // what came down from the parent never goes back up
        var checkpoint = await client.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = SyncCheckpoint.RelayModule },
            CallOptions.Default.WithTimeout(TimeSpan.FromSeconds(30)) with { CancellationToken = cancellationToken });
        var internet = network == Storage.NetworkClass.Internet;
        long heldBack = internet
            ? await relayed.CountAsync(r => r.RelaySequence <= checkpoint.Sequence && r.Classification > 0, cancellationToken)
            : 0;
        if (!await relayed.AnyAsync(r => r.RelaySequence > checkpoint.Sequence, cancellationToken))
        {
            return new PushReport("", 0, 0, 0, heldBack);
        }

        await using var call = client.Start<ChangeBatch, PushResult>("Push", CallOptions.Default with { CancellationToken = cancellationToken });
        var from = checkpoint.Sequence;
        var batches = 0;
        while (true)
        {
            var page = await relayed.AsNoTracking().Where(r => r.RelaySequence > from).OrderBy(r => r.RelaySequence).Take(BatchSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var batch = new ChangeBatch { Module = SyncCheckpoint.RelayModule, Checkpoint = page[^1].RelaySequence };
            foreach (var replica in page)
            {
                if (internet && replica.Classification > 0)
                {
                    heldBack++;
                    continue;
                }

                batch.Changes.Add(RelayedChange(replica));
            }

            batches += await ReplicaApplier.WriteSealedAsync(call.RequestStream, batch);
            from = batch.Checkpoint;
        }

        await call.RequestStream.CompleteAsync();
        if (!await call.ResponseStream.MoveNext(cancellationToken))
        {
            throw new RpcException(call.GetStatus());
        }

        return new PushReport("", batches, call.ResponseStream.Current.Applied, call.ResponseStream.Current.Skipped, heldBack);
    }

    /// <summary>A replica passed on by this node (up to its parent or down to a child), at its relay-feed position.</summary>
    internal static Change RelayedChange(ReplicaRecord replica) => new()
    {
        Sequence = replica.RelaySequence,
        Module = replica.Module,
        RecordType = replica.RecordType,
        RecordId = replica.RecordId.ToString(),
        Version = replica.Version,
        Operation = replica.Deleted ? Operation.Delete : Operation.Update,
        OwnerOrgCode = replica.OwnerOrgCode,
        OriginNode = replica.OriginNode,
        Classification = replica.Classification,
        Payload = ByteString.CopyFromUtf8(replica.Payload),
        AddressOrgCode = replica.AddressOrgCode,
        ChangedAtUnixMs = new DateTimeOffset(DateTime.SpecifyKind(replica.ReceivedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
    };

    /// <summary>
    /// One batch from a page of a module's feed: this node's own records that <paramref name="addressed"/>
    /// (entry, owner org code) accepts, with their current fields; tombstones for deletions;
    /// classified records held back on an internet link. Its checkpoint is the page's last sequence.
    /// </summary>
    internal static async Task<(ChangeBatch Batch, int HeldBack)> BuildBatchAsync(
        ModuleDbContext db, OrganisationDirectory directory, string module, List<ChangeFeedEntry> page, Storage.NetworkClass network,
        string nodeId, IReplicaHandler? handler, FlowDirection direction, Func<ChangeFeedEntry, string, bool> addressed, CancellationToken cancellationToken)
    {
        // A module that declares its flows sends only the record types flowing this way; one that declares none sends all.
        var batch = new ChangeBatch { Module = module, Checkpoint = page[^1].Sequence };
        if (handler is not null)
        {
            page = page.Where(e => ReplicaApplier.FlowOf(handler, e.RecordType) is { } flow && flow.Direction.HasFlag(direction)).ToList();
        }

        var held = 0;
        var records = new Dictionary<Guid, object>();
        foreach (var group in page.Where(e => e.Operation != ChangeOperation.Delete).GroupBy(e => e.RecordType))
        {
            var entityType = FindEntityType(db, group.Key);
            if (entityType is null)
            {
                continue;
            }

            var ids = group.Select(e => e.RecordId).Distinct().ToList();
            var task = (Task<List<ReplicatedRecord>>)LoadMethod.MakeGenericMethod(entityType.ClrType).Invoke(null, [db, ids, cancellationToken])!;
            foreach (var record in await task)
            {
                records[record.Id] = record;
            }
        }

        var codes = new Dictionary<Guid, string>();
        var payload = new System.Buffers.ArrayBufferWriter<byte>(4096);
        foreach (var entry in page)
        {
            if (entry.OriginNode != nodeId)
            {
                continue; // a replica: owned and shipped by its origin
            }

            if (!codes.TryGetValue(entry.OwnerOrgUnitId, out var code))
            {
                code = (await directory.FindAsync(entry.OwnerOrgUnitId, cancellationToken))?.Code ?? "";
                codes[entry.OwnerOrgUnitId] = code;
            }

            if (!addressed(entry, code))
            {
                continue;
            }

            if (network == Storage.NetworkClass.Internet && entry.Classification > Classification.Normal)
            {
                held++;
                continue;
            }

            var change = new Change
            {
                Sequence = entry.Sequence,
                RecordType = entry.RecordType,
                RecordId = entry.RecordId.ToString(),
                Version = entry.Version,
                Operation = (Operation)(int)entry.Operation,
                OwnerOrgCode = code,
                OriginNode = entry.OriginNode,
                Classification = (int)entry.Classification,
                ChangedAtUnixMs = new DateTimeOffset(DateTime.SpecifyKind(entry.ChangedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
            };
            if (entry.Operation != ChangeOperation.Delete)
            {
                if (!records.TryGetValue(entry.RecordId, out var record))
                {
                    continue; // deleted since: its tombstone follows later in the feed
                }

                var current = (ReplicatedRecord)record;
                change.Version = Math.Max(entry.Version, current.Version);
                PayloadSerializer.For(db.Model.FindEntityType(record.GetType())!, ReplicaApplier.FlowOf(handler, entry.RecordType)?.Fields).Write(record, payload);
                change.Payload = ByteString.CopyFrom(payload.WrittenSpan);
                change.AddressOrgCode = ReplicaAddressing.AddressOf(handler, entry.RecordType, record);
            }

            batch.Changes.Add(change);
        }

        return (batch, held);
    }

    private static IEntityType? FindEntityType(DbContext db, string recordType) =>
        db.Model.GetEntityTypes().FirstOrDefault(t => typeof(ReplicatedRecord).IsAssignableFrom(t.ClrType)
            && (t.ClrType.GetCustomAttribute<RecordTypeAttribute>()?.Name ?? t.ClrType.Name) == recordType);

    private static async Task<List<ReplicatedRecord>> LoadRecordsAsync<T>(DbContext db, List<Guid> ids, CancellationToken cancellationToken)
        where T : ReplicatedRecord =>
        [.. await db.Set<T>().AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken)];

    internal static IReplicaHandler? HandlerOf(IServiceProvider services, string module) =>
        services.GetServices<IReplicaHandler>().FirstOrDefault(h => h.Module == module);

    private async Task RecordAsync(string parent, Action<FederationLink> update, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDbContext>();
        if (await db.Links.SingleOrDefaultAsync(l => l.NodeId == parent, cancellationToken) is { } link)
        {
            update(link);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
