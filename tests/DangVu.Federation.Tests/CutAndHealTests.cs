namespace DangVu.Federation.Tests;

/// <summary>
/// A link cut for a while (the parent stopped): both sides keep changing, the child's sync fails
/// and says so, and once the link heals one sync converges both ways; an old batch sent again
/// afterwards changes nothing.
/// </summary>
public sealed class CutAndHealTests
{
    private const string Snapshot =
        "SELECT COUNT(*) || '#' || COALESCE(group_concat(\"RecordId\" || ':' || \"Version\" || ':' || \"Deleted\" || ':' || \"Payload\", '|'), '') FROM (SELECT * FROM fed_replicas ORDER BY \"RecordId\")";

    [Fact]
    public async Task Changes_made_on_both_sides_while_the_link_is_cut_converge_after_it_heals_and_a_replayed_old_batch_changes_nothing()
    {
        await using var parent = new FederationNode("node-hn");
        await using var child = new FederationNode("node-cb1");
        await Task.WhenAll(Enrolment.PrepareAsync(parent, root: true), Enrolment.PrepareAsync(child, root: false));
        await parent.Installation.InstallFixtureAsync("Notes");
        await child.Installation.InstallFixtureAsync("Notes");
        await parent.ServeAsync();
        await Enrolment.EnrolAsync(parent, child, "HN.BD.CB1");
        var kept = await LeafNotes.CreateAsync(child, "HN.BD.CB1", "Trước khi mất kết nối");
        var gone = await LeafNotes.CreateAsync(child, "HN.BD.CB1", "Sẽ bị xoá khi mất kết nối");
        await child.RunOkAsync("federation", "sync");

        var url = parent.GrpcUrl;
        await parent.StopAsync();
        await LeafNotes.UpdateAsync(child, kept, "Đã sửa khi mất kết nối");
        await LeafNotes.DeleteAsync(child, gone);
        var added = await LeafNotes.CreateAsync(child, "HN.BD.CB1", "Thêm khi mất kết nối");
        var directive = await LeafNotes.CreateAsync(parent, "HN", "Chỉ thị ban hành khi mất kết nối");
        var cut = await child.Cli.RunAsync("federation", "sync");
        cut.ExitCode.Should().NotBe(0, "the parent is unreachable");
        (await child.RunOkAsync("federation", "status", "--json")).Stdout.Should().Contain("lastError").And.NotContain("\"lastError\": null")
            .And.Contain("\"pending\": 3", "three changes wait: the lag in changes");

        await parent.ServeAsync(grpcUrl: url);
        await child.RunOkAsync("federation", "sync");

        const string Replica = "SELECT \"Version\" || ':' || \"Deleted\" || ':' || \"Payload\" FROM fed_replicas WHERE \"RecordId\" = '{0}'";
        (await parent.Installation.QueryAsync<string>("federation", string.Format(Replica, kept.ToString().ToUpperInvariant())))
            .Should().StartWith("2:0:").And.Contain("Đã sửa khi mất kết nối");
        (await parent.Installation.QueryAsync<string>("federation", string.Format(Replica, gone.ToString().ToUpperInvariant())))
            .Should().StartWith("2:1:", "the deletion travels as a tombstone");
        (await parent.Installation.QueryAsync<string>("federation", string.Format(Replica, added.ToString().ToUpperInvariant())))
            .Should().StartWith("1:0:").And.Contain("Thêm khi mất kết nối");
        (await child.Installation.QueryAsync<string>("federation", string.Format(Replica, directive.ToString().ToUpperInvariant())))
            .Should().Contain("Chỉ thị ban hành khi mất kết nối");
        (await child.RunOkAsync("federation", "status", "--json")).Stdout.Should().Contain("\"lastError\": null").And.Contain("\"pending\": 0");

        var before = await parent.Installation.QueryAsync<string>("federation", Snapshot);
        using var channel = Enrolment.ChannelTo(parent, Enrolment.CertificateOf(child));
        var replay = await Enrolment.PushAsync(Enrolment.Sync(channel),
            Enrolment.Batch(2, Enrolment.Change("node-cb1", 1, kept, "HN.BD.CB1", title: "Trước khi mất kết nối"),
                Enrolment.Change("node-cb1", 2, gone, "HN.BD.CB1", title: "Sẽ bị xoá khi mất kết nối")));

        replay.Applied.Should().Be(0);
        (await parent.Installation.QueryAsync<string>("federation", Snapshot)).Should().Be(before);
    }
}
