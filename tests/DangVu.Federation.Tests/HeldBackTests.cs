using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Federation;
using DangVu.Core.Hosting;
using DangVu.Core.Platform;
using DangVu.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Federation.Tests;

/// <summary>
/// The child's side of sync, in process, against a parent process: records classified mật or
/// above wait at the child when its link is on the internet, are counted as held back, and are
/// sent once the parent reclassifies the link as internal.
/// </summary>
public sealed class HeldBackTests
{
    [Fact]
    public async Task Over_an_internet_link_classified_records_wait_counted_as_held_back_and_go_up_once_the_link_is_reclassified_internal()
    {
        await using var parent = new FederationNode("node-hn");
        await using var child = new FederationNode("node-cb2");
        await Enrolment.PrepareAsync(parent, root: true);
        await Enrolment.PrepareAsync(child, root: false);
        await child.Installation.InstallFixtureAsync("Notes");
        await parent.ServeAsync();
        await Enrolment.EnrolAsync(parent, child, "HN.BD.CB2", "internet");

        var installation = DangVuInstallation.Open(child.Installation.Home, [new("Node:Id", "node-cb2"), new("Federation:BackgroundSync", "false")]);
        await using var app = await DangVuApplication.BuildAsync(installation);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var org = (await scope.ServiceProvider.GetRequiredService<OrganisationDirectory>().FindByCodeAsync("HN.BD.CB2"))!.Id;
            var notes = scope.ServiceProvider.GetServices<ModuleStorage>().Single(s => s.ModuleId == "notes").Resolve(scope.ServiceProvider);
            var noteType = notes.Model.GetEntityTypes().Single(t => t.ClrType.Name == "Note").ClrType;
            foreach (var (title, classification) in new[] { ("Lịch sinh hoạt", Classification.Normal), ("Nhân sự dự kiến", Classification.Confidential) })
            {
                var note = (ReplicatedRecord)Activator.CreateInstance(noteType)!;
                noteType.GetProperty("Title")!.SetValue(note, title);
                note.OwnerOrgUnitId = org;
                note.Classification = classification;
                notes.Add(note);
            }

            await notes.SaveChangesAsync();
        }

        var report = await app.Services.GetRequiredService<FederationPusher>().PushAsync(CancellationToken.None);

        report!.Applied.Should().Be(1);
        report.HeldBack.Should().Be(1);
        (await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas")).Should().Be(1);
        (await parent.Installation.QueryAsync<string>("federation", "SELECT \"Payload\" FROM fed_replicas")).Should().Contain("Lịch sinh hoạt");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var status = await scope.ServiceProvider.GetRequiredService<FederationStatus>().ReadAsync(CancellationToken.None);
            status.Links.Should().ContainSingle(l => l.Role == "parent" && l.HeldBack == 1 && l.Network == "internet" && l.Changes == 1);
        }

        // Nothing new: a second push sends nothing and still counts the classified record as held back.
        var again = await app.Services.GetRequiredService<FederationPusher>().PushAsync(CancellationToken.None);
        again!.Applied.Should().Be(0);
        again.HeldBack.Should().Be(1);

        // The parent moves the link to the internal network: the queue goes up, nothing is held any more.
        await parent.RunOkAsync("federation", "reclassify", "node-cb2", "--network", "internal");
        var released = await app.Services.GetRequiredService<FederationPusher>().PushAsync(CancellationToken.None);
        released!.Applied.Should().Be(1);
        released.HeldBack.Should().Be(0);
        (await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas WHERE \"Classification\" = 1 AND \"Payload\" LIKE '%Nhân sự dự kiến%'")).Should().Be(1);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var status = await scope.ServiceProvider.GetRequiredService<FederationStatus>().ReadAsync(CancellationToken.None);
            status.Links.Should().ContainSingle(l => l.Role == "parent" && l.HeldBack == 0 && l.Network == "internal");
        }

        (await app.Services.GetRequiredService<FederationPusher>().PushAsync(CancellationToken.None))!.Applied.Should().Be(0, "the queue is sent once");
    }
}
