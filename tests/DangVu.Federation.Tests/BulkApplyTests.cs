using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Federation;
using DangVu.Core.Federation.Storage;
using DangVu.Core.Hosting;
using DangVu.Core.Platform;
using DangVu.Core.Tests.Support;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetworkClass = DangVu.Core.Federation.Storage.NetworkClass;

namespace DangVu.Federation.Tests;

/// <summary>
/// The set-based apply, in process on both providers: a batch holding a stale version, a
/// tombstone and a newer version of one record ends in the record's newest state in both stores,
/// a replay or a stale resend changes nothing, and this node's own row is never overwritten.
/// </summary>
public sealed class BulkApplyTests
{
    private const string Parent = "node-hn";

    private static readonly Guid A = Guid.CreateVersion7(), B = Guid.CreateVersion7();

    [Theory, StorageProviders]
    public async Task A_batch_with_stale_tombstone_and_newer_versions_of_one_record_ends_in_its_newest_state_and_a_replay_changes_nothing(string provider)
    {
        await using var storage = NewStorage(provider, out var ledger);
        await storage.StartAsync();
        await AddParentLinkAsync(storage);
        var own = await AddOwnEntryAsync(storage);

        var first = await ApplyAsync(storage, Batch(ledger, 3, Upsert(1, A, 2, "A2"), Upsert(2, B, 1, "B1"), Upsert(3, own, 9, "not yours")));
        first.Applied.Should().Be(3);

        var mixed = Batch(ledger, 7, Upsert(4, A, 1, "A1 stale"), Tombstone(5, A, 3), Upsert(6, A, 4, "A4"), Tombstone(7, B, 2));
        var second = await ApplyAsync(storage, mixed);
        second.Should().Be(new BatchOutcome(3, 1, 7));
        await ExpectAsync(storage);

        (await ApplyAsync(storage, mixed)).Applied.Should().Be(0, "a replayed batch is already covered by the checkpoint");
        (await ApplyAsync(storage, Batch(ledger, 9, Upsert(8, A, 4, "A4 again"), Upsert(9, B, 1, "B1 again")))).Should().Be(new BatchOutcome(0, 2, 9));
        await ExpectAsync(storage);

        // The module's commit kept while federation's was lost: the second batch comes again to the module alone.
        using (storage.Scope<LedgerDbContext>(out var db))
        {
            await new LedgerHandler(db).ApplyAsync(
            [
                Incoming(A, 3, deleted: true), Incoming(A, 4, title: "A4 replayed"), Incoming(B, 2, deleted: true), Incoming(own, 10, title: "not yours"),
            ], CancellationToken.None);
        }

        await ExpectAsync(storage);
        using (storage.Scope<FederationDbContext>(out var federation))
        {
            (await federation.Checkpoints.Where(c => c.FromNode == Parent).Select(c => c.Sequence).SingleAsync()).Should().Be(9);
        }
    }

    [Theory, StorageProviders]
    public async Task A_payload_that_is_not_utf8_reaches_the_module_as_the_stored_text_with_the_bad_bytes_replaced(string provider)
    {
        await using var storage = NewStorage(provider, out var ledger);
        await storage.StartAsync();
        await AddParentLinkAsync(storage);
        var change = Upsert(1, A, 1, "x");
        change.Payload = ByteString.CopyFrom([.. "{\"Title\":\"An"u8, 0xFF, .. "\",\"Amount\":1}"u8]);

        (await ApplyAsync(storage, Batch(ledger, 1, change))).Applied.Should().Be(1);

        using (storage.Scope<LedgerDbContext>(out var db))
        {
            (await db.Entries.AsNoTracking().SingleAsync(e => e.Id == A)).Title.Should().Be("An\uFFFD");
        }

        using (storage.Scope<FederationDbContext>(out var db))
        {
            (await db.Replicas.AsNoTracking().SingleAsync(r => r.RecordId == A)).Payload.Should().Be("{\"Title\":\"An\uFFFD\",\"Amount\":1}");
        }
    }

    [Theory, StorageProviders]
    public async Task A_tombstone_in_a_batch_keeps_its_version_so_an_older_change_after_it_does_not_bring_the_record_back(string provider)
    {
        await using var storage = NewStorage(provider, out _);
        await storage.StartAsync();
        using (storage.Scope<LedgerDbContext>(out var db))
        {
            await new LedgerHandler(db).ApplyAsync([Incoming(A, 2, title: "A2")], CancellationToken.None);
        }

        using (storage.Scope<LedgerDbContext>(out var db))
        {
            await new LedgerHandler(db).ApplyAsync([Incoming(A, 5, deleted: true), Incoming(A, 4, title: "A4 late")], CancellationToken.None);
        }

        using (storage.Scope<LedgerDbContext>(out var db))
        {
            (await db.Entries.CountAsync()).Should().Be(0);
        }
    }

    [Theory, StorageProviders]
    public async Task A_group_of_batches_is_written_at_once_skipping_those_the_checkpoint_covers_and_storing_the_last_ones(string provider)
    {
        await using var storage = NewStorage(provider, out var ledger);
        await storage.StartAsync();
        await AddParentLinkAsync(storage);
        (await ApplyAsync(storage, Batch(ledger, 2, Upsert(1, A, 1, "A1"), Upsert(2, B, 1, "B1")))).Applied.Should().Be(2);

        var group = new[]
        {
            Batch(ledger, 2, Upsert(1, A, 1, "A1"), Upsert(2, B, 1, "B1")), // a replay: covered by the stored checkpoint
            Batch(ledger, 4, Upsert(3, A, 2, "A2"), Upsert(4, B, 2, "B2")),
            Batch(ledger, 6, Upsert(5, A, 4, "A4"), Tombstone(6, B, 3)),
            Batch(ledger, 6, Upsert(5, A, 4, "A4")), // repeated inside the group
        };
        BatchOutcome outcome;
        using (var scope = storage.Scope<FederationDbContext>(out var db))
        {
            var link = await db.Links.AsNoTracking().SingleAsync(l => l.NodeId == Parent);
            outcome = await scope.ServiceProvider.GetRequiredService<ReplicaApplier>()
                .ApplyAsync(link, [.. group.Select(b => new ReplicaApplier.CheckedBatch(ReplicaApplier.Seal(b)))], CancellationToken.None);
        }

        outcome.Should().Be(new BatchOutcome(4, 3, 6));
        using (storage.Scope<LedgerDbContext>(out var ledgerDb))
        {
            (await ledgerDb.Entries.AsNoTracking().Select(e => new { e.Id, e.Title, e.Version }).ToListAsync())
                .Should().ContainSingle().Which.Should().Be(new { Id = A, Title = "A4", Version = 4L });
        }

        using (storage.Scope<FederationDbContext>(out var federation))
        {
            (await federation.Checkpoints.Where(c => c.FromNode == Parent).Select(c => c.Sequence).SingleAsync()).Should().Be(6);
        }
    }

    private static async Task ExpectAsync(TestStorage storage)
    {
        using (storage.Scope<LedgerDbContext>(out var db))
        {
            var rows = await db.Entries.AsNoTracking().OrderBy(e => e.Title).ToListAsync();
            rows.Select(e => (e.Id, e.Title, e.Version, e.OriginNode)).Should().Equal(
                (A, "A4", 4L, Parent),
                (rows.Single(e => e.OriginNode == "node-test").Id, "mine", 1L, "node-test"));
            (await db.ChangeFeed.CountAsync()).Should().Be(1, "only the own entry is fed; replicas never are");
        }

        using (storage.Scope<FederationDbContext>(out var db))
        {
            var replicas = await db.Replicas.AsNoTracking().Where(r => r.RecordId == A || r.RecordId == B).ToDictionaryAsync(r => r.RecordId);
            (replicas[A].Version, replicas[A].Deleted, replicas[A].Payload).Should().Be((4L, false, """{"Title":"A4","Amount":4}"""));
            (replicas[B].Version, replicas[B].Deleted, replicas[B].Payload).Should().Be((2L, true, ""));
        }
    }

    private static TestStorage NewStorage(string provider, out string ledger)
    {
        var storage = new TestStorage(provider);
        ledger = storage.ModuleId("ledger");
        storage.AddModule<LedgerDbContext>(ledger);
        storage.AddModule<FederationDbContext>(storage.ModuleId("federation"));
        storage.Services.AddSingleton<OrganisationDirectory>();
        storage.Services.AddSingleton(TimeProvider.System);
        storage.Services.AddSingleton(DangVuInstallation.Open(TestPaths.NewTempDirectory("node"), []));
        storage.Services.AddSingleton<NodeKeys>();
        storage.Services.AddScoped<IReplicaHandler, LedgerHandler>();
        storage.Services.AddScoped<ReplicaApplier>();
        return storage;
    }

    private static async Task AddParentLinkAsync(TestStorage storage)
    {
        using var scope = storage.Scope<FederationDbContext>(out var db);
        db.Links.Add(new FederationLink
        {
            NodeId = Parent, Role = LinkRole.Parent, State = LinkState.Active, Subtree = "HN", Network = NetworkClass.Internal, CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    private static async Task<Guid> AddOwnEntryAsync(TestStorage storage)
    {
        using var scope = storage.Scope<LedgerDbContext>(out var db);
        var entry = new LedgerEntry { Title = "mine", Amount = 1 };
        db.Entries.Add(entry);
        await db.SaveChangesAsync();
        return entry.Id;
    }

    private static async Task<BatchOutcome> ApplyAsync(TestStorage storage, ChangeBatch batch)
    {
        using var scope = storage.Scope<FederationDbContext>(out var db);
        var link = await db.Links.AsNoTracking().SingleAsync(l => l.NodeId == Parent);
        return await scope.ServiceProvider.GetRequiredService<ReplicaApplier>().ApplyFromParentAsync(link, ReplicaApplier.Seal(batch), CancellationToken.None);
    }

    private static ChangeBatch Batch(string module, long checkpoint, params Change[] changes)
    {
        var batch = new ChangeBatch { Module = module, Checkpoint = checkpoint };
        batch.Changes.AddRange(changes);
        return batch;
    }

    private static Change Upsert(long sequence, Guid id, long version, string title) => new()
    {
        Sequence = sequence, RecordType = "ledger.entry", RecordId = id.ToString(), Version = version, Operation = Operation.Update, OriginNode = Parent,
        Payload = ByteString.CopyFromUtf8($$"""{"Title":"{{title}}","Amount":{{version}}}"""),
    };

    private static Change Tombstone(long sequence, Guid id, long version) => new()
    {
        Sequence = sequence, RecordType = "ledger.entry", RecordId = id.ToString(), Version = version, Operation = Operation.Delete, OriginNode = Parent,
    };

    private static IncomingReplica Incoming(Guid id, long version, bool deleted = false, string title = "") =>
        new("ledger.entry", id, Parent, version, deleted, Guid.Empty, Classification.Normal,
            deleted ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes($$"""{"Title":"{{title}}","Amount":{{version}}}"""));

    /// <summary>The ledger's side of federation, written as a module writes it.</summary>
    private sealed class LedgerHandler(LedgerDbContext db) : IReplicaHandler
    {
        public string Module => db.ModuleId;

        public IReadOnlyList<ReplicaFlow> Flows { get; } = [new("ledger.entry", FlowDirection.Both)];

        public async Task ApplyAsync(IReadOnlyList<IncomingReplica> replicas, CancellationToken cancellationToken)
        {
            using (db.ApplyingReplicas())
            {
                await ReplicaStore.StageAsync<LedgerEntry>(db, replicas, null, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();
        }
    }
}
