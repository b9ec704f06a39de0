using DangVu.Core.Abstractions.Security;
using DangVu.Core.Audit;
using DangVu.Core.Storage;
using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Platform;

public sealed class AuditTrailTests
{
    [Theory, StorageProviders]
    public async Task Every_write_is_audited_with_who_from_where_and_which_fields(string provider)
    {
        await using var storage = new TestStorage(provider);
        await storage.AddModule<LedgerDbContext>(storage.ModuleId("ledger")).StartAsync();
        using var actor = Actor.Use(new Actor(ActorKind.User, "lan.tt", Guid.NewGuid(), "10.0.0.7"));

        var entry = new LedgerEntry { Title = "Đảng phí", Amount = 10 };
        using (storage.Scope<LedgerDbContext>(out var db))
        {
            db.Entries.Add(entry);
            await db.SaveChangesAsync();
            entry.Amount = 20;
            await db.SaveChangesAsync();
            db.Entries.Remove(entry);
            await db.SaveChangesAsync();
        }

        using var _ = storage.Scope<LedgerDbContext>(out var check);
        var trail = await check.AuditTrail.OrderBy(a => a.Sequence).ToListAsync();
        trail.Select(a => a.Operation).Should().Equal("insert", "update", "delete");
        trail.Should().OnlyContain(a => a.ActorName == "lan.tt" && a.Address == "10.0.0.7" && a.RecordType == "ledger.entry" && a.RecordId == entry.Id.ToString());
        trail[1].ChangedFields.Should().Be("Amount");
        trail[0].ChangedFields.Should().Contain("Title").And.Contain("Amount");
    }

    [Theory, StorageProviders]
    public async Task An_edited_audit_row_is_caught_at_that_entry(string provider)
    {
        await using var storage = await WithThreeEntriesAsync(provider);

        await ExecuteAsync(storage, "UPDATE dv_audit SET \"ActorName\" = 'người khác' WHERE \"Sequence\" = 2");
        var report = (await Verifier(storage).VerifyAsync(CancellationToken.None)).Single();

        report.Intact.Should().BeFalse();
        report.BrokenAt.Should().Be(2);
        report.Problem.Should().Contain("đã bị sửa");
    }

    [Theory, StorageProviders]
    public async Task A_deleted_audit_row_is_caught_at_the_entry_after_it(string provider)
    {
        await using var storage = await WithThreeEntriesAsync(provider);

        await ExecuteAsync(storage, "DELETE FROM dv_audit WHERE \"Sequence\" = 2");
        var report = (await Verifier(storage).VerifyAsync(CancellationToken.None)).Single();

        report.BrokenAt.Should().Be(3);
        report.Problem.Should().Contain("mắt xích");
    }

    [Fact]
    public async Task An_untouched_chain_verifies()
    {
        await using var storage = await WithThreeEntriesAsync("sqlite");

        var report = (await Verifier(storage).VerifyAsync(CancellationToken.None)).Single();

        report.Intact.Should().BeTrue();
        report.Entries.Should().Be(3);
    }

    private static async Task<TestStorage> WithThreeEntriesAsync(string provider)
    {
        var storage = new TestStorage(provider);
        await storage.AddModule<LedgerDbContext>(storage.ModuleId("ledger")).StartAsync();
        using var _ = storage.Scope<LedgerDbContext>(out var db);
        for (var i = 1; i <= 3; i++)
        {
            db.Entries.Add(new LedgerEntry { Title = $"Mục {i}", Amount = i });
            await db.SaveChangesAsync();
        }

        return storage;
    }

    private static AuditVerifier Verifier(TestStorage storage) =>
        new(storage.Provider!.GetRequiredService<IServiceScopeFactory>(), storage.Provider!.GetServices<ModuleStorage>());

    private static async Task ExecuteAsync(TestStorage storage, string sql)
    {
        using var _ = storage.Scope<LedgerDbContext>(out var db);
        await db.Database.ExecuteSqlRawAsync(db.Schema is null ? sql : $"SET search_path TO \"{db.Schema}\"; {sql}");
    }
}
