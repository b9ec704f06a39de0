using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Hosting;
using DangVu.Core.Platform;
using DangVu.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Federation.Tests;

/// <summary>
/// Writes notes (the Notes fixture's replicated records) at a node through its real storage, in
/// process: the row and its change-feed entry in one transaction, as the module itself would.
/// </summary>
internal static class LeafNotes
{
    public static async Task<Guid> CreateAsync(FederationNode node, string orgCode, string title, Classification classification = Classification.Normal)
    {
        Guid id = default;
        await WithNotesAsync(node, async (notes, directory) =>
        {
            var noteType = notes.Model.GetEntityTypes().Single(t => t.ClrType.Name == "Note").ClrType;
            var note = (ReplicatedRecord)Activator.CreateInstance(noteType)!;
            noteType.GetProperty("Title")!.SetValue(note, title);
            note.OwnerOrgUnitId = (await directory.FindByCodeAsync(orgCode))!.Id;
            note.Classification = classification;
            notes.Add(note);
            await notes.SaveChangesAsync();
            id = note.Id;
        });
        return id;
    }

    /// <summary>Many notes in one transaction: as many change-feed entries.</summary>
    public static Task CreateManyAsync(FederationNode node, string orgCode, int count) => WithNotesAsync(node, async (notes, directory) =>
    {
        var noteType = notes.Model.GetEntityTypes().Single(t => t.ClrType.Name == "Note").ClrType;
        var org = (await directory.FindByCodeAsync(orgCode))!.Id;
        for (var i = 0; i < count; i++)
        {
            var note = (ReplicatedRecord)Activator.CreateInstance(noteType)!;
            noteType.GetProperty("Title")!.SetValue(note, $"Ghi chú số {i}");
            note.OwnerOrgUnitId = org;
            notes.Add(note);
        }

        await notes.SaveChangesAsync();
    });

    public static Task UpdateAsync(FederationNode node, Guid id, string title) => WithNotesAsync(node, async (notes, _) =>
    {
        var noteType = notes.Model.GetEntityTypes().Single(t => t.ClrType.Name == "Note").ClrType;
        var note = await notes.FindAsync(noteType, id);
        noteType.GetProperty("Title")!.SetValue(note, title);
        await notes.SaveChangesAsync();
    });

    public static Task DeleteAsync(FederationNode node, Guid id) => WithNotesAsync(node, async (notes, _) =>
    {
        var noteType = notes.Model.GetEntityTypes().Single(t => t.ClrType.Name == "Note").ClrType;
        var note = await notes.FindAsync(noteType, id);
        notes.Remove(note!);
        await notes.SaveChangesAsync();
    });

    private static async Task WithNotesAsync(FederationNode node, Func<DbContext, OrganisationDirectory, Task> action)
    {
        var installation = DangVuInstallation.Open(node.Installation.Home, [new("Node:Id", node.NodeId), new("Federation:BackgroundSync", "false")]);
        await using var app = await DangVuApplication.BuildAsync(installation);
        await using var scope = app.Services.CreateAsyncScope();
        var notes = scope.ServiceProvider.GetServices<ModuleStorage>().Single(s => s.ModuleId == "notes").Resolve(scope.ServiceProvider);
        await action(notes, scope.ServiceProvider.GetRequiredService<OrganisationDirectory>());
    }
}
