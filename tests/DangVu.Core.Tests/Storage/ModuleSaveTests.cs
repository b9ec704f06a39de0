using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Storage;

public sealed class ModuleSaveTests
{
    [Theory, StorageProviders]
    public async Task Each_saved_change_writes_one_change_feed_entry_in_commit_order(string provider)
    {
        await using var storage = new TestStorage(provider);
        var ledger = storage.ModuleId("ledger");
        await storage.AddModule<LedgerDbContext>(ledger, "node-a").StartAsync();

        var first = new LedgerEntry { Title = "Đảng phí tháng 1", Amount = 100, OwnerOrgUnitId = Guid.NewGuid() };
        var second = new LedgerEntry { Title = "Đảng phí tháng 2", Amount = 200 };
        using (var _ = Scope(storage, out var db))
        {
            db.Entries.AddRange(first, second);
            await db.SaveChangesAsync();
        }

        using (var _ = Scope(storage, out var db))
        {
            var entry = await db.Entries.SingleAsync(e => e.Id == first.Id);
            entry.Amount = 150;
            await db.SaveChangesAsync();
            entry.Version.Should().Be(2);
            db.Entries.Remove(await db.Entries.SingleAsync(e => e.Id == second.Id));
            await db.SaveChangesAsync();
        }

        using (var _ = Scope(storage, out var db))
        {
            var feed = await db.ChangeFeed.OrderBy(f => f.Sequence).ToListAsync();
            feed.Select(f => (f.RecordId, f.Operation, f.Version)).Should().Equal(
                (first.Id, ChangeOperation.Insert, 1L),
                (second.Id, ChangeOperation.Insert, 1L),
                (first.Id, ChangeOperation.Update, 2L),
                (second.Id, ChangeOperation.Delete, 2L));
            feed.Should().OnlyContain(f => f.Module == ledger && f.RecordType == "ledger.entry" && f.OriginNode == "node-a");
            feed.Select(f => f.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
            feed[0].OwnerOrgUnitId.Should().Be(first.OwnerOrgUnitId);
            (await db.Entries.SingleAsync()).OriginNode.Should().Be("node-a");
        }
    }

    [Theory, StorageProviders]
    public async Task A_stale_update_fails_with_a_conflict_and_changes_nothing(string provider)
    {
        await using var storage = new TestStorage(provider);
        await storage.AddModule<LedgerDbContext>(storage.ModuleId("ledger")).StartAsync();
        var id = await InsertAsync(storage, "Chi bộ 1", 10);

        using var scopeA = Scope(storage, out var alice);
        using var scopeB = Scope(storage, out var bob);
        var seenByAlice = await alice.Entries.SingleAsync(e => e.Id == id);
        var seenByBob = await bob.Entries.SingleAsync(e => e.Id == id);

        seenByAlice.Amount = 20;
        await alice.SaveChangesAsync();
        seenByBob.Amount = 30;
        var stale = async () => await bob.SaveChangesAsync();

        var conflict = (await stale.Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        conflict.MessageVi.Should().Contain("không có gì được lưu");
        seenByBob.Version.Should().Be(1, "a failed save leaves the record as the caller had it");
        using var _ = Scope(storage, out var check);
        (await check.Entries.SingleAsync()).Amount.Should().Be(20);
        (await check.ChangeFeed.CountAsync()).Should().Be(2, "the insert and Alice's update; nothing for Bob's stale write");
    }

    [Theory, StorageProviders]
    public async Task A_failed_save_writes_no_change_feed_entries(string provider)
    {
        await using var storage = new TestStorage(provider);
        await storage.AddModule<LedgerDbContext>(storage.ModuleId("ledger")).StartAsync();
        await InsertAsync(storage, "Trùng tên", 1);

        using (var _ = Scope(storage, out var db))
        {
            db.Entries.Add(new LedgerEntry { Title = "Khác", Amount = 2 });
            db.Entries.Add(new LedgerEntry { Title = "Trùng tên", Amount = 3 });
            var duplicate = async () => await db.SaveChangesAsync();
            await duplicate.Should().ThrowAsync<DbUpdateException>();
        }

        using (var _ = Scope(storage, out var db))
        {
            (await db.Entries.CountAsync()).Should().Be(1);
            (await db.ChangeFeed.CountAsync()).Should().Be(1);
        }
    }

    [Theory, StorageProviders]
    public async Task Each_module_keeps_its_tables_in_its_own_file_or_schema(string provider)
    {
        await using var storage = new TestStorage(provider);
        var ledger = storage.ModuleId("ledger");
        var listener = storage.ModuleId("listener");
        await storage.AddModule<LedgerDbContext>(ledger).AddModule<ListenerDbContext>(listener).StartAsync();

        var ledgerTables = await SchemaSnapshot.TablesAsync(storage.Settings, ledger);
        var listenerTables = await SchemaSnapshot.TablesAsync(storage.Settings, listener);

        ledgerTables.Should().Contain(["ledger_entries", "dv_change_feed", "dv_outbox", "dv_inbox", "__EFMigrationsHistory"]);
        ledgerTables.Should().NotContain("heard_entries");
        listenerTables.Should().Contain("heard_entries").And.NotContain("ledger_entries");
        if (provider == "sqlite")
        {
            File.Exists(storage.Settings.SqliteFileOf(ledger)).Should().BeTrue();
        }
    }

    [Theory, StorageProviders]
    public async Task Migrating_twice_applies_nothing_the_second_time(string provider)
    {
        await using var storage = new TestStorage(provider);
        await storage.AddModule<LedgerDbContext>(storage.ModuleId("ledger")).StartAsync();
        var applied = new List<string>();

        await storage.Provider!.GetRequiredService<DangVu.Core.Storage.StorageMigrator>()
            .MigrateAsync((_, migrations) => applied.AddRange(migrations));

        applied.Should().BeEmpty();
        var health = await storage.Provider!.GetRequiredService<DangVu.Core.Storage.StorageMigrator>().CheckAsync(CancellationToken.None);
        health.Ready.Should().BeTrue();
    }

    private static async Task<Guid> InsertAsync(TestStorage storage, string title, long amount)
    {
        using var _ = Scope(storage, out var db);
        var entry = new LedgerEntry { Title = title, Amount = amount };
        db.Entries.Add(entry);
        await db.SaveChangesAsync();
        return entry.Id;
    }

    private static IDisposable Scope(TestStorage storage, out LedgerDbContext db) => storage.Scope(out db);
}
