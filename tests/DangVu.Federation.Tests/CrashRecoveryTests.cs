using System.Text.Json;

namespace DangVu.Federation.Tests;

/// <summary>The receiver killed (SIGKILL) in the middle of a large push: after a restart every change is applied exactly once.</summary>
public sealed class CrashRecoveryTests
{
    private const int Notes = 6000;

    [Fact]
    public async Task Killing_the_parent_in_the_middle_of_a_large_push_then_resyncing_applies_every_change_exactly_once()
    {
        await using var parent = new FederationNode("node-hn");
        await using var child = new FederationNode("node-cb1");
        await Task.WhenAll(Enrolment.PrepareAsync(parent, root: true), Enrolment.PrepareAsync(child, root: false));
        await child.Installation.InstallFixtureAsync("Notes");
        await parent.ServeAsync();
        await Enrolment.EnrolAsync(parent, child, "HN.BD.CB1");
        await LeafNotes.CreateManyAsync(child, "HN.BD.CB1", Notes);
        child.Cli.Environment["DANGVU__Federation__BatchSize"] = "25";
        var url = parent.GrpcUrl;

        var interrupted = child.Cli.RunAsync("federation", "sync");
        long atKill;
        while ((atKill = await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas")) == 0)
        {
            await Task.Delay(20);
        }

        await parent.StopAsync(); // Process.Kill: SIGKILL, mid-stream
        var first = await interrupted;
        first.ExitCode.Should().NotBe(0, "the push was cut off: " + first.Output);
        var applied = await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas");
        applied.Should().BeLessThan(Notes);
        (await parent.Installation.QueryAsync<long>("federation", "SELECT \"Sequence\" FROM fed_checkpoints WHERE \"FromNode\" = 'node-cb1' AND \"Module\" = 'notes'"))
            .Should().Be(applied, "the checkpoint is stored with the batches it covers, in the same transactions");

        await parent.ServeAsync(grpcUrl: url);
        var resumed = await child.RunOkAsync("federation", "sync");

        resumed.Stdout.Should().Contain($"pushed {Notes - applied} applied, 0 skipped");
        (await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas WHERE \"Version\" = 1")).Should().Be(Notes);
        (await parent.Installation.QueryAsync<long>("federation", "SELECT \"Sequence\" FROM fed_checkpoints WHERE \"FromNode\" = 'node-cb1' AND \"Module\" = 'notes'")).Should().Be(Notes);
        var link = JsonDocument.Parse(await parent.Server!.Http.GetStringAsync("/health/federation")).RootElement.GetProperty("links")[0];
        link.GetProperty("changes").GetInt64().Should().Be(Notes, "each change was applied once, none twice");
    }
}
