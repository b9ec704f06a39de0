using System.Threading.Channels;
using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Federation.Storage;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Platform;
using DangVu.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Federation;

/// <summary><c>dangvu.federation.v1.Sync</c> at a parent: its children push their up-bound changes.</summary>
internal sealed class SyncService(FederationDbContext db, NodeKeys keys, ReplicaApplier applier, OrganisationDirectory directory, IConfiguration configuration)
{
    /// <summary>Checked batches waiting to be written, at most (each under the max message size).</summary>
    private const int ReadAhead = 16;

    /// <summary>Changes written in one transaction, at most (a single larger batch is written alone).</summary>
    private const int GroupChanges = 20_000;

    public async Task Pull(PullRequest request, IServerStreamWriter<ChangeBatch> responses, ServerCallContext context)
    {
        var link = await FederationTrust.AuthenticateChildAsync(context, keys, db);
        if (!await applier.InSubtreeAsync(request.Subtree, link.Subtree, context.CancellationToken))
        {
            throw new PermissionDeniedException(
                $"Nút '{link.NodeId}' chỉ được nhận dữ liệu của nhánh '{link.Subtree}', không phải '{request.Subtree}'",
                $"node '{link.NodeId}' may only pull what is addressed to the subtree '{link.Subtree}', not '{request.Subtree}'");
        }

        // Addressed to the child: published at the child's subtree root or one of its ancestors, or owned inside the subtree.
        var root = await directory.FindByCodeAsync(request.Subtree, context.CancellationToken);
        var ancestry = root is null ? [] : (await directory.AncestryAsync(root.Id, context.CancellationToken)).Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        var inside = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var code in ancestry)
        {
            inside[code] = true;
        }

        async Task<bool> AddressedAsync(string code)
        {
            if (!inside.TryGetValue(code, out var addressed))
            {
                addressed = await applier.InSubtreeAsync(code, request.Subtree, context.CancellationToken);
                inside[code] = addressed;
            }

            return addressed;
        }

        var batchSize = Math.Clamp(configuration.GetValue("Federation:BatchSize", 500), 1, 5000);
        if (request.Module == SyncCheckpoint.RelayModule)
        {
            await PullRelayedAsync(link, request.After, batchSize, AddressedAsync, responses, context.CancellationToken);
            return;
        }

        var storage = context.Services.GetServices<ModuleStorage>().FirstOrDefault(s => s.ModuleId == request.Module && !FederationPusher.LocalStorages.Contains(s.ModuleId));
        if (storage is null)
        {
            return;
        }

        var feed = storage.Resolve(context.Services);
        var after = request.After;
        while (true)
        {
            var page = await feed.ChangeFeed.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(batchSize).ToListAsync(context.CancellationToken);
            if (page.Count == 0)
            {
                return;
            }

            foreach (var id in page.Select(e => e.OwnerOrgUnitId).Distinct())
            {
                if ((await directory.FindAsync(id, context.CancellationToken))?.Code is { } orgCode)
                {
                    await AddressedAsync(orgCode);
                }
            }

            // Addressable records (transfer letters) are built whatever their owner, then kept only when addressed to the subtree.
            var handler = FederationPusher.HandlerOf(context.Services, request.Module);
            var (batch, _) = await FederationPusher.BuildBatchAsync(feed, directory, request.Module, page, link.Network, keys.NodeId,
                handler, Abstractions.Federation.FlowDirection.Down,
                (entry, code) => (inside.TryGetValue(code, out var addressed) && addressed) || ReplicaAddressing.Addressable(handler, entry.RecordType), context.CancellationToken);
            foreach (var change in batch.Changes.ToList())
            {
                if (!await AddressedAsync(change.OwnerOrgCode) && !(change.AddressOrgCode.Length > 0 && await AddressedAsync(change.AddressOrgCode)))
                {
                    batch.Changes.Remove(change);
                }
            }

            await ReplicaApplier.WriteSealedAsync(responses, batch);
            after = batch.Checkpoint;
            feed.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// A node passes on, in its relay-feed order, what came down from its own parent and is
    /// addressed to the child's subtree by owner, and what any other node sent it addressed into
    /// that subtree (<see cref="ReplicaRecord.AddressOrgCode"/>: a transfer letter, a handover);
    /// never what the child itself sent.
    /// </summary>
    private async Task PullRelayedAsync(FederationLink child, long after, int batchSize, Func<string, Task<bool>> addressed,
        IServerStreamWriter<ChangeBatch> responses, CancellationToken cancellationToken)
    {
        var parent = await db.Links.AsNoTracking().Where(l => l.Role == LinkRole.Parent).Select(l => l.NodeId).SingleOrDefaultAsync(cancellationToken);
        while (true)
        {
            var page = await db.Replicas.AsNoTracking()
                .Where(r => r.RelaySequence > after && r.ReceivedFrom != child.NodeId && (r.ReceivedFrom == parent || r.AddressOrgCode != ""))
                .OrderBy(r => r.RelaySequence).Take(batchSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return;
            }

            var batch = new ChangeBatch { Module = SyncCheckpoint.RelayModule, Checkpoint = page[^1].RelaySequence };
            foreach (var replica in page)
            {
                var forChild = (replica.ReceivedFrom == parent && await addressed(replica.OwnerOrgCode))
                    || (replica.AddressOrgCode.Length > 0 && await addressed(replica.AddressOrgCode));
                if (forChild && (child.Network != Storage.NetworkClass.Internet || replica.Classification == 0))
                {
                    batch.Changes.Add(FederationPusher.RelayedChange(replica));
                }
            }

            await ReplicaApplier.WriteSealedAsync(responses, batch);
            after = batch.Checkpoint;
        }
    }

    public async Task<Checkpoint> GetCheckpoint(CheckpointRequest request, ServerCallContext context)
    {
        var link = await FederationTrust.AuthenticateChildAsync(context, keys, db);
        var sequence = await db.Checkpoints.Where(c => c.FromNode == link.NodeId && c.Module == request.Module)
            .Select(c => (long?)c.Sequence).SingleOrDefaultAsync(context.CancellationToken);
        return new Checkpoint
        {
            Module = request.Module,
            Sequence = sequence ?? 0,
            Network = link.Network == Storage.NetworkClass.Internet ? Contracts.Federation.V1.NetworkClass.Internet : Contracts.Federation.V1.NetworkClass.Internal,
        };
    }

    public async Task<PushResult> Push(IAsyncStreamReader<ChangeBatch> batches, ServerCallContext context)
    {
        var link = await FederationTrust.AuthenticateChildAsync(context, keys, db);
        using var actor = Actor.Use(new Actor(ActorKind.Node, link.NodeId, Address: context.Peer));
        var result = new PushResult();
        var checkpoints = new Dictionary<string, long>(StringComparer.Ordinal);

        // Batches are read, parsed and checked on another thread while the ones before them are written. The
        // writer takes every checked batch waiting (up to GroupChanges) into one transaction: while it writes,
        // the child's next batches queue up, so the slower the storage the larger (and cheaper per change) the
        // groups. A refused batch is refused after the ones before it are written.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var queue = Channel.CreateBounded<ReplicaApplier.CheckedBatch>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await batches.MoveNext(stop.Token))
                {
                    await queue.Writer.WriteAsync(await applier.CheckAsync(link, batches.Current, stop.Token), stop.Token);
                }

                queue.Writer.Complete();
            }
            catch (Exception ex)
            {
                queue.Writer.Complete(ex);
            }
        }, CancellationToken.None);

        try
        {
            var group = new List<ReplicaApplier.CheckedBatch>();
            ReplicaApplier.CheckedBatch? held = null;
            while (held is not null || await queue.Reader.WaitToReadAsync(context.CancellationToken))
            {
                group.Clear();
                var changes = 0;
                while ((held is not null || queue.Reader.TryRead(out held)) && (group.Count == 0
                    || (held.Batch.Module == group[0].Batch.Module && changes + held.Batch.Changes.Count <= GroupChanges)))
                {
                    group.Add(held);
                    changes += held.Batch.Changes.Count;
                    held = null;
                }

                var outcome = await applier.ApplyAsync(link, group, context.CancellationToken);
                db.ChangeTracker.Clear();
                result.Batches += group.Count;
                result.Applied += outcome.Applied;
                result.Skipped += outcome.Skipped;
                checkpoints[group[0].Batch.Module] = outcome.Checkpoint;
            }
        }
        finally
        {
            // On a failed write the reader stops too; either way it has ended before the call does.
            await stop.CancelAsync();
            await reading;
        }

        result.Checkpoints.AddRange(checkpoints.Select(c => new Checkpoint { Module = c.Key, Sequence = c.Value }));
        return result;
    }
}
