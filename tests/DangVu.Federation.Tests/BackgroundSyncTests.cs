namespace DangVu.Federation.Tests;

/// <summary>A serving child syncs with its parent by itself, and catches up once an unreachable parent is back.</summary>
public sealed class BackgroundSyncTests
{
    [Fact]
    public async Task A_serving_child_pushes_its_changes_in_the_background_and_catches_up_after_the_parent_was_down()
    {
        await using var parent = new FederationNode("node-hn");
        await using var child = new FederationNode("node-cb1");
        await Task.WhenAll(Enrolment.PrepareAsync(parent, root: true), Enrolment.PrepareAsync(child, root: false));
        await child.Installation.InstallFixtureAsync("Notes");
        await parent.ServeAsync();
        await Enrolment.EnrolAsync(parent, child, "HN.BD.CB1");
        var parentUrl = parent.GrpcUrl;
        await LeafNotes.CreateAsync(child, "HN.BD.CB1", "Trước khi mất kết nối");

        // The parent goes down: the child's changes wait in its feed and the link shows the error.
        await parent.StopAsync();
        await child.ServeAsync(new Dictionary<string, string>
        {
            ["DANGVU__Federation__BackgroundSync"] = "true",
            ["DANGVU__Federation__SyncIntervalSeconds"] = "1",
        }, tls: false);
        await WaitUntilAsync(async () => (await child.Server!.Http.GetStringAsync("/health/federation")).Contains("\"lastError\": \""));

        // The parent is back on the same address: the child catches up by itself.
        await parent.ServeAsync(grpcUrl: parentUrl);
        await WaitUntilAsync(async () => await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas") == 1);
        await WaitUntilAsync(async () => (await child.Server!.Http.GetStringAsync("/health/federation")).Contains("\"lastError\": null"));
        (await parent.Installation.QueryAsync<string>("federation", "SELECT \"Payload\" FROM fed_replicas")).Should().Contain("Trước khi mất kết nối");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the background sync should get there within a minute");
            await Task.Delay(300);
        }
    }
}
