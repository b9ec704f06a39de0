using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Hosting;
using DangVu.Core.Platform;
using DangVu.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Federation.Tests;

/// <summary>
/// The storage's own guard behind every module's: another node's record is saved only by
/// federation's apply, and the apply never writes this node's records.
/// </summary>
public sealed class ReplicaGuardTests
{
    [Fact]
    public async Task Saving_another_nodes_record_outside_the_replica_apply_is_refused_and_the_apply_refuses_own_records()
    {
        await using var node = new FederationNode("node-cb1");
        await Enrolment.PrepareAsync(node, root: false);
        await node.Installation.InstallFixtureAsync("Notes");
        var installation = DangVuInstallation.Open(node.Installation.Home, [new("Node:Id", "node-cb1"), new("Federation:BackgroundSync", "false")]);
        await using var app = await DangVuApplication.BuildAsync(installation);
        await using var scope = app.Services.CreateAsyncScope();
        var notes = scope.ServiceProvider.GetServices<ModuleStorage>().Single(s => s.ModuleId == "notes").Resolve(scope.ServiceProvider);
        var noteType = notes.Model.GetEntityTypes().Single(t => t.ClrType.Name == "Note").ClrType;
        var org = (await scope.ServiceProvider.GetRequiredService<OrganisationDirectory>().FindByCodeAsync("HN.BD.CB1"))!.Id;
        ReplicatedRecord NewNote(string origin)
        {
            var note = (ReplicatedRecord)Activator.CreateInstance(noteType)!;
            noteType.GetProperty("Title")!.SetValue(note, "Ghi chú của nút khác");
            note.OwnerOrgUnitId = org;
            note.OriginNode = origin;
            note.Version = 3;
            return note;
        }

        notes.Add(NewNote("node-bd"));
        var outside = async () => await notes.SaveChangesAsync();
        var refusal = (await outside.Should().ThrowAsync<RuleViolationException>()).Which;
        refusal.Rule.Should().Be("federation.replica-read-only");
        refusal.MessageVi.Should().Contain("bản sao chỉ đọc").And.Contain("node-bd");
        notes.ChangeTracker.Clear();

        using (notes.ApplyingReplicas())
        {
            notes.Add(NewNote("node-cb1"));
            var own = async () => await notes.SaveChangesAsync();
            await own.Should().ThrowAsync<InvalidOperationException>();
            notes.ChangeTracker.Clear();

            notes.Add(NewNote("node-bd"));
            await notes.SaveChangesAsync();
        }

        (await notes.ChangeFeed.CountAsync()).Should().Be(0, "a replica is never fed as this node's change");
        (await node.Installation.QueryAsync<long>("notes", "SELECT COUNT(*) FROM notes WHERE \"OriginNode\" = 'node-bd' AND \"Version\" = 3")).Should().Be(1, "the apply keeps the origin's version");
        (await node.Installation.QueryAsync<long>("notes", "SELECT COUNT(*) FROM notes")).Should().Be(1, "the refused saves wrote nothing");
    }
}
