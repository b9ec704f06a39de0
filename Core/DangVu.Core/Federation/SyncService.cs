using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Federation.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Federation;

/// <summary><c>dangvu.federation.v1.Sync</c> at a parent: its children push their up-bound changes.</summary>
internal sealed class SyncService(FederationDbContext db, NodeKeys keys, ReplicaApplier applier)
{
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
