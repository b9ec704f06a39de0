using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Federation;
using DangVu.Core.Hosting;

namespace DangVu.Federation.Tests;

/// <summary>
/// A parent process with two enrolled children (chi bộ 1 over the internal network, chi bộ 2 over
/// the internet), called as the children over mutual TLS: what each may push, and what a
/// refused or replayed batch leaves behind.
/// </summary>
public sealed class SyncSecurityTests(SyncSecurityTests.TwoChildren nodes) : IClassFixture<SyncSecurityTests.TwoChildren>
{
    [Fact]
    public async Task A_valid_certificate_pushing_records_of_another_subtree_is_denied_and_nothing_is_written()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb1);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var before = await ReplicaCountAsync();

        var push = () => Enrolment.PushAsync(Enrolment.Sync(channel), Enrolment.Batch(2,
            Enrolment.Change("node-cb1", 1, Guid.CreateVersion7(), "HN.BD.CB1"),
            Enrolment.Change("node-cb1", 2, Guid.CreateVersion7(), "HN.BD.CB2")));

        var refused = (await push.Should().ThrowAsync<RpcException>()).Which.Status;
        refused.StatusCode.Should().Be(StatusCode.PermissionDenied);
        refused.Detail.Should().Contain("HN.BD.CB1").And.Contain("HN.BD.CB2");
        (await ReplicaCountAsync()).Should().Be(before, "the valid first change of the refused batch is not written either");
    }

    [Fact]
    public async Task A_child_pushing_records_of_another_origin_node_is_denied()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb1);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var before = await ReplicaCountAsync();

        var push = () => Enrolment.PushAsync(Enrolment.Sync(channel), Enrolment.Batch(1,
            Enrolment.Change("node-cb2", 1, Guid.CreateVersion7(), "HN.BD.CB1")));

        (await push.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.PermissionDenied);
        (await ReplicaCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_valid_certificate_pulling_what_is_addressed_to_another_subtree_is_denied()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb1);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var sync = Enrolment.Sync(channel);

        var own = await sync.ServerStreamingAsync<PullRequest, ChangeBatch>("Pull", new PullRequest { Module = "notes", Subtree = "HN.BD.CB1" }).ToListAsync();
        var other = async () => await sync.ServerStreamingAsync<PullRequest, ChangeBatch>("Pull", new PullRequest { Module = "notes", Subtree = "HN.BD.CB2" }).ToListAsync();
        var above = async () => await sync.ServerStreamingAsync<PullRequest, ChangeBatch>("Pull", new PullRequest { Module = "notes", Subtree = "HN" }).ToListAsync();

        own.Should().BeEmpty("the parent has nothing for chi bộ 1");
        (await other.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.PermissionDenied);
        (await above.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task A_call_without_a_client_certificate_is_unauthenticated()
    {
        using var channel = Enrolment.ChannelTo(nodes.Parent, null);

        var checkpoint = () => Enrolment.Sync(channel).UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" });

        (await checkpoint.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    [Fact]
    public async Task A_certificate_from_another_nodes_ca_is_unauthenticated_even_with_an_enrolled_node_name()
    {
        var home = TestPaths.NewTempDirectory("rogue");
        try
        {
            var rogue = new NodeKeys(DangVuInstallation.Open(home, [new("Node:Id", "node-cb1")]));
            rogue.Initialise(root: true, []);
            using var certificate = rogue.LoadNodeCertificate();
            using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
            var before = await ReplicaCountAsync();

            var push = () => Enrolment.PushAsync(Enrolment.Sync(channel), Enrolment.Batch(1,
                Enrolment.Change("node-cb1", 1, Guid.CreateVersion7(), "HN.BD.CB1")));

            (await push.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.Unauthenticated);
            (await ReplicaCountAsync()).Should().Be(before);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task A_classified_record_over_an_internet_link_is_denied_and_nothing_is_written()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb2);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var before = await ReplicaCountAsync();

        var push = () => Enrolment.PushAsync(Enrolment.Sync(channel), Enrolment.Batch(1,
            Enrolment.Change("node-cb2", 1, Guid.CreateVersion7(), "HN.BD.CB2", classification: 1)));

        var refused = (await push.Should().ThrowAsync<RpcException>()).Which.Status;
        refused.StatusCode.Should().Be(StatusCode.PermissionDenied);
        refused.Detail.Should().Contain("Internet");
        (await ReplicaCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Batches_apply_idempotently_a_replay_changes_nothing_and_a_tombstone_marks_the_replica_deleted()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb2);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var sync = Enrolment.Sync(channel);
        var id = Guid.CreateVersion7();
        var start = (await sync.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" })).Sequence;
        var first = Enrolment.Batch(start + 2,
            Enrolment.Change("node-cb2", start + 1, id, "HN.BD.CB2", title: "Bản đầu"),
            Enrolment.Change("node-cb2", start + 2, id, "HN.BD.CB2", version: 2, operation: Operation.Update, title: "Bản sửa"));

        var applied = await Enrolment.PushAsync(sync, first);
        var replayed = await Enrolment.PushAsync(sync, first);

        applied.Applied.Should().Be(2);
        replayed.Applied.Should().Be(0);
        replayed.Skipped.Should().Be(2);
        replayed.Checkpoints.Should().ContainSingle(c => c.Module == "notes" && c.Sequence == start + 2);
        (await sync.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" })).Sequence.Should().Be(start + 2);
        (await ReplicaAsync<long>(id, "Version")).Should().Be(2);
        (await ReplicaAsync<string>(id, "Payload")).Should().Contain("Bản sửa");

        // An older version arriving later (a new batch, out of order per record) never overwrites a newer one.
        var stale = await Enrolment.PushAsync(sync, Enrolment.Batch(start + 3, Enrolment.Change("node-cb2", start + 3, id, "HN.BD.CB2", title: "Cũ")));
        stale.Skipped.Should().Be(1);
        (await ReplicaAsync<string>(id, "Payload")).Should().Contain("Bản sửa");

        var deleted = await Enrolment.PushAsync(sync, Enrolment.Batch(start + 4, Enrolment.Change("node-cb2", start + 4, id, "HN.BD.CB2", version: 3, operation: Operation.Delete)));
        deleted.Applied.Should().Be(1);
        (await ReplicaAsync<long>(id, "Deleted")).Should().Be(1);
        (await ReplicaAsync<string>(id, "Payload")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_batch_damaged_in_transit_is_refused_with_data_loss_and_nothing_is_written_until_it_is_sent_again()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb1);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var sync = Enrolment.Sync(channel);
        var before = await ReplicaCountAsync();
        var start = (await sync.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" })).Sequence;
        var intact = Enrolment.Batch(start + 1, Enrolment.Change("node-cb1", start + 1, Guid.CreateVersion7(), "HN.BD.CB1", title: "Nguyên vẹn"));
        var damaged = intact.Clone();
        damaged.Changes[0].Payload = Google.Protobuf.ByteString.CopyFromUtf8("""{"Title":"Bị sửa"}""");

        var push = () => Enrolment.PushAsync(sync, damaged);

        (await push.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.DataLoss);
        (await ReplicaCountAsync()).Should().Be(before);
        (await Enrolment.PushAsync(sync, intact)).Applied.Should().Be(1, "the batch sent again applies");
        (await ReplicaCountAsync()).Should().Be(before + 1);
    }

    [Fact]
    public async Task In_a_stream_of_batches_the_ones_before_a_damaged_batch_are_written_and_none_after_it()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb1);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var sync = Enrolment.Sync(channel);
        var before = await ReplicaCountAsync();
        var start = (await sync.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" })).Sequence;
        var batches = Enumerable.Range(1, 3)
            .Select(i => Enrolment.Batch(start + i, Enrolment.Change("node-cb1", start + i, Guid.CreateVersion7(), "HN.BD.CB1", title: $"Lô {i}")))
            .ToArray();
        batches[1].Changes[0].Payload = Google.Protobuf.ByteString.CopyFromUtf8("""{"Title":"Bị sửa"}""");

        // The parent reads and checks the next batch while it writes one: still in order, and a refusal stops the stream there.
        var push = () => sync.ClientStreamingAsync<ChangeBatch, PushResult>("Push", batches, CallOptions.Default.WithTimeout(TimeSpan.FromSeconds(30)));

        (await push.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.DataLoss);
        (await ReplicaCountAsync()).Should().Be(before + 1);
        (await sync.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" })).Sequence.Should().Be(start + 1);
    }

    [Fact]
    public async Task A_stream_written_in_groups_skips_a_batch_replayed_inside_it_and_stores_the_last_checkpoint()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb2);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var sync = Enrolment.Sync(channel);
        var id = Guid.CreateVersion7();
        var start = (await sync.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" })).Sequence;
        var first = Enrolment.Batch(start + 1, Enrolment.Change("node-cb2", start + 1, id, "HN.BD.CB2", title: "Bản đầu"));
        var second = Enrolment.Batch(start + 2, Enrolment.Change("node-cb2", start + 2, id, "HN.BD.CB2", version: 2, operation: Operation.Update, title: "Bản sửa"));

        // The parent takes the batches waiting into one transaction: the repeated first batch is a replay there too.
        var result = await Enrolment.PushAsync(sync, first, first, second);

        (result.Batches, result.Applied, result.Skipped).Should().Be((3, 2, 1));
        result.Checkpoints.Should().ContainSingle(c => c.Module == "notes" && c.Sequence == start + 2);
        (await ReplicaAsync<long>(id, "Version")).Should().Be(2);
        (await ReplicaAsync<string>(id, "Payload")).Should().Contain("Bản sửa");
    }

    [Fact]
    public async Task A_page_larger_than_the_max_message_size_is_refused_whole_but_applies_in_parts()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb1);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var sync = Enrolment.Sync(channel);
        var before = await ReplicaCountAsync();
        var start = (await sync.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" })).Sequence;
        var page = Enrolment.Batch(start + 6, Enumerable.Range(1, 5)
            .Select(i => Enrolment.Change("node-cb1", start + i, Guid.CreateVersion7(), "HN.BD.CB1", title: new string('x', 1024 * 1024))).ToArray());

        var whole = () => Enrolment.PushAsync(sync, page);
        (await whole.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        (await ReplicaCountAsync()).Should().Be(before);

        var parts = ReplicaApplier.SealInParts(page.Clone()).ToArray();
        var result = await Enrolment.PushAsync(sync, parts);

        parts.Length.Should().BeGreaterThan(1);
        result.Applied.Should().Be(5);
        (await ReplicaCountAsync()).Should().Be(before + 5);
        (await sync.UnaryAsync<CheckpointRequest, Checkpoint>("GetCheckpoint", new CheckpointRequest { Module = "notes" })).Sequence.Should().Be(start + 6);
    }

    [Fact]
    public async Task A_malformed_change_refuses_the_whole_batch_with_invalid_argument()
    {
        using var certificate = Enrolment.CertificateOf(nodes.Cb1);
        using var channel = Enrolment.ChannelTo(nodes.Parent, certificate);
        var before = await ReplicaCountAsync();
        var bad = Enrolment.Change("node-cb1", 2, Guid.CreateVersion7(), "HN.BD.CB1");
        bad.RecordId = "not-a-uuid";

        var push = () => Enrolment.PushAsync(Enrolment.Sync(channel), Enrolment.Batch(2,
            Enrolment.Change("node-cb1", 1, Guid.CreateVersion7(), "HN.BD.CB1"), bad));

        (await push.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.InvalidArgument);
        (await ReplicaCountAsync()).Should().Be(before);
    }

    private Task<long> ReplicaCountAsync() => nodes.Parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas");

    private async Task<T> ReplicaAsync<T>(Guid id, string column)
    {
        var rows = await nodes.Parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas");
        rows.Should().BePositive();
        return await nodes.Parent.Installation.QueryAsync<T>("federation",
            $"SELECT \"{column}\" FROM fed_replicas WHERE \"OriginNode\" = 'node-cb2' AND lower(CAST(\"RecordId\" AS TEXT)) = '{id}'");
    }

    /// <summary>A serving parent (SQLite) with chi bộ 1 enrolled over internal and chi bộ 2 over internet.</summary>
    public sealed class TwoChildren : IAsyncLifetime
    {
        internal FederationNode Parent { get; } = new("node-ba-dinh");

        internal FederationNode Cb1 { get; } = new("node-cb1");

        internal FederationNode Cb2 { get; } = new("node-cb2");

        public async Task InitializeAsync()
        {
            await Task.WhenAll(
                Enrolment.PrepareAsync(Parent, root: true),
                Enrolment.PrepareAsync(Cb1, root: false),
                Enrolment.PrepareAsync(Cb2, root: false));
            await Parent.ServeAsync();
            await Enrolment.EnrolAsync(Parent, Cb1, "HN.BD.CB1", "internal");
            await Enrolment.EnrolAsync(Parent, Cb2, "HN.BD.CB2", "internet");
        }

        public async Task DisposeAsync()
        {
            await Parent.DisposeAsync();
            await Cb1.DisposeAsync();
            await Cb2.DisposeAsync();
        }
    }
}
