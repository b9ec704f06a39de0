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
    public async Task Pull(PullRequest request, IServerStreamWriter<ChangeBatch> responses, ServerCallContext context)
    {
        var link = await FederationTrust.AuthenticateChildAsync(context, keys, db);
        if (!await applier.InSubtreeAsync(request.Subtree, link.Subtree, context.CancellationToken))
        {
            throw new PermissionDeniedException(
                $"Nút '{link.NodeId}' chỉ được nhận dữ liệu của nhánh '{link.Subtree}', không phải '{request.Subtree}'",
                $"node '{link.NodeId}' may only pull what is addressed to the subtree '{link.Subtree}', not '{request.Subtree}'");
        }

        var storage = context.Services.GetServices<ModuleStorage>().FirstOrDefault(s => s.ModuleId == request.Module && !FederationPusher.LocalStorages.Contains(s.ModuleId));
        if (storage is null)
        {
            return;
        }

        // Addressed to the child: published at the child's subtree root or one of its ancestors, or owned inside the subtree.
        var root = await directory.FindByCodeAsync(request.Subtree, context.CancellationToken);
        var ancestry = root is null ? [] : (await directory.AncestryAsync(root.Id, context.CancellationToken)).Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        var inside = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var code in ancestry)
        {
            inside[code] = true;
        }

        var feed = storage.Resolve(context.Services);
        var batchSize = Math.Clamp(configuration.GetValue("Federation:BatchSize", 500), 1, 5000);
        var after = request.After;
        while (true)
        {
            var page = await feed.ChangeFeed.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(batchSize).ToListAsync(context.CancellationToken);
            if (page.Count == 0)
            {
                return;
            }

            foreach (var code in page.Select(e => e.OwnerOrgUnitId).Distinct())
            {
                if ((await directory.FindAsync(code, context.CancellationToken))?.Code is { } orgCode && !inside.ContainsKey(orgCode))
                {
                    inside[orgCode] = await applier.InSubtreeAsync(orgCode, request.Subtree, context.CancellationToken);
                }
            }

            var (batch, _) = await FederationPusher.BuildBatchAsync(feed, directory, request.Module, page, link.Network, keys.NodeId,
                (_, code) => inside.TryGetValue(code, out var addressed) && addressed, context.CancellationToken);
            await responses.WriteAsync(ReplicaApplier.Seal(batch));
            after = batch.Checkpoint;
            feed.ChangeTracker.Clear();
        }
    }

    public async Task<Checkpoint> GetCheckpoint(CheckpointRequest request, ServerCallContext context)
    {
        var link = await FederationTrust.AuthenticateChildAsync(context, keys, db);
        var sequence = await db.Checkpoints.Where(c => c.FromNode == link.NodeId && c.Module == request.Module)
            .Select(c => (long?)c.Sequence).SingleOrDefaultAsync(context.CancellationToken);
        return new Checkpoint { Module = request.Module, Sequence = sequence ?? 0 };
    }

    public async Task<PushResult> Push(IAsyncStreamReader<ChangeBatch> batches, ServerCallContext context)
    {
        var link = await FederationTrust.AuthenticateChildAsync(context, keys, db);
        using var actor = Actor.Use(new Actor(ActorKind.Node, link.NodeId, Address: context.Peer));
        var result = new PushResult();
        var checkpoints = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await batches.MoveNext(context.CancellationToken))
        {
            var batch = batches.Current;
            var outcome = await applier.ApplyAsync(link, batch, context.CancellationToken);
            db.ChangeTracker.Clear();
            result.Batches++;
            result.Applied += outcome.Applied;
            result.Skipped += outcome.Skipped;
            checkpoints[batch.Module] = outcome.Checkpoint;
        }

        result.Checkpoints.AddRange(checkpoints.Select(c => new Checkpoint { Module = c.Key, Sequence = c.Value }));
        return result;
    }
}
