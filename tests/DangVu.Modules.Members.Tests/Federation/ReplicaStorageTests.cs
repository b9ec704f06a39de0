using System.Text.Json;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Federation;
using DangVu.Modules.Members.Storage;
using DangVu.Modules.Members.Tests.Application;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Modules.Members.Tests.Federation;

/// <summary>
/// A member file applied as a replica (the set-based upsert, on SQLite values bound by position through SQLite's API) is
/// stored column for column as a tracked save stores one: found by id and citizen id, in search
/// and statistics, and a newer version replaces it the same way.
/// </summary>
public sealed class ReplicaStorageTests
{
    // Differ by construction between the two files; every other column is compared as stored.
    private static readonly HashSet<string> OwnColumns = ["Id", "OriginNode", "Version", "CitizenId", "CardNumber", "FileNumber", "TemporaryOrgUnitId", "FullName", "SearchName", "SortName"];

    [Theory, StorageProviders]
    public async Task A_replicated_member_file_is_stored_as_a_tracked_save_stores_it_and_a_newer_version_replaces_it_alike(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var own = await host.RegisterOfficialAsync("Phạm Thị Lưu", TestOrganisation.CellA, new DateOnly(2011, 4, 9), Gender.Female, card: "01234567");
        own = await host.Db(async db =>
        {
            var m = await db.Members.SingleAsync(m => m.Id == own.Id);
            (m.FileNumber, m.OtherNames, m.Phone, m.LeftOn, m.LeaveReason, m.PreviousStatus) = ("HS-0042", "Lưu \"Út\"", "0912 345 678", new DateOnly(2026, 10, 1), LeaveReason.Expelled, MemberStatus.Official);
            m.Status = MemberStatus.Left;
            await db.SaveChangesAsync();
            return m;
        });

        // The same file as another node's record: its own id, citizen id and numbers (unique here), version 3.
        var replica = JsonSerializer.Deserialize<Member>(JsonSerializer.SerializeToUtf8Bytes(own))!;
        (replica.Id, replica.CitizenId, replica.CardNumber, replica.FileNumber) = (Guid.CreateVersion7(), Sample.CitizenId(Gender.Female, own.DateOfBirth), "07654321", "HS-0043");
        (replica.FullName, replica.SearchName, replica.SortName) = ("Phạm Thị Sao", "pham thi sao", "sao pham thi");
        await ApplyAsync(host, replica, 3);

        var stored = await RawRowsAsync(host);
        Comparable(stored[replica.Id]).Should().Equal(Comparable(stored[own.Id]), "each column holds the same value, stored the same way");
        stored[replica.Id].Select(c => Shape(c.Value)).Should().Equal(stored[own.Id].Select(c => Shape(c.Value)), "ids, numbers and names are stored in the same form");
        var read = await host.Db(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == replica.Id && m.CitizenId == replica.CitizenId && m.OwnerOrgUnitId == TestOrganisation.CellA));
        (read.OriginNode, read.Version, read.FullName, read.LeftOn, read.CreatedAt).Should().Be(("node-hk", 3L, "Phạm Thị Sao", new DateOnly(2026, 10, 1), own.CreatedAt));
        (await host.Db(db => db.Members.CountAsync(m => m.CardNumber == "07654321" && m.Status == MemberStatus.Left))).Should().Be(1);

        replica.Phone = "0987 654 321";
        replica.OfficialDecision = null;
        await ApplyAsync(host, replica, 4);
        var older = JsonSerializer.Deserialize<Member>(JsonSerializer.SerializeToUtf8Bytes(replica))!;
        older.Phone = "0000";
        await ApplyAsync(host, older, 2);
        stored = await RawRowsAsync(host);
        stored[replica.Id]["Phone"].Should().Be("0987 654 321");
        stored[replica.Id]["OfficialDecision"].Should().Be(DBNull.Value);
        (await host.Db(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == replica.Id))).Version.Should().Be(4);
    }

    [Theory, StorageProviders]
    public async Task A_large_tree_finds_imported_saved_and_replicated_names_and_a_renamed_replica_by_its_new_name_only(string provider)
    {
        // More members than a small scope, so the search reads the names the triggers keep (QueryService.SmallScope).
        await using var host = await MembersHost.StartAsync(provider);
        (await host.Run<ImportExportService, ImportResult>(async s => await s.ImportAsync(
                await BulkImportTests.SyntheticFileAsync(QueryService.SmallScope + 1, 9, MemberFileFormat.Csv, _ => "Trần Văn An"), MemberFileFormat.Csv, null, CancellationToken.None)))
            .Succeeded.Should().BeTrue();
        var own = await host.RegisterOfficialAsync("Nguyễn Văn Hùng", TestOrganisation.CellA, new DateOnly(2011, 4, 9));
        var replica = JsonSerializer.Deserialize<Member>(JsonSerializer.SerializeToUtf8Bytes(own))!;
        (replica.Id, replica.CitizenId, replica.CardNumber, replica.FileNumber) = (Guid.CreateVersion7(), Sample.CitizenId(Gender.Male, own.DateOfBirth), "07654321", "HS-0043");
        (replica.FullName, replica.OtherNames, replica.SearchName, replica.SortName) = ("Phạm Văn Sao", "Út", "pham van sao ut", "sao pham van sao");
        await ApplyAsync(host, replica, 3);
        Task<SearchResult> Search(string text) =>
            host.Run<QueryService, SearchResult>(q => q.SearchAsync(new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = text }, CancellationToken.None));

        (await Search("tran van an")).Should().Match<SearchResult>(r => r.Total == QueryService.CountCap && r.MoreThanTotal && r.Items.Count == 50);
        (await Search("VĂN HÙNG")).Items.Select(i => i.Id).Should().Equal(own.Id);
        (await Search("sao ut")).Items.Select(i => i.Id).Should().Equal([replica.Id], "the other names follow the full name");
        (replica.FullName, replica.SearchName, replica.SortName) = ("Phạm Văn Sáu", "pham van sau ut", "sau pham van sau");
        await ApplyAsync(host, replica, 4);

        (await Search("van sau")).Items.Select(i => i.Id).Should().Equal(replica.Id);
        (await Search("van sao")).Total.Should().Be(0, "the old name stays in the list but nobody bears it");
    }

    [Theory, StorageProviders]
    public async Task A_replica_of_an_imported_file_shows_who_imported_it_and_when_at_the_origin_in_its_timeline(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var file = await host.RegisterOfficialAsync("Đinh Văn Tú", TestOrganisation.CellA, new DateOnly(2009, 2, 3));
        var replica = JsonSerializer.Deserialize<Member>(JsonSerializer.SerializeToUtf8Bytes(file))!;
        var importedAt = new DateTime(2026, 11, 20, 2, 30, 0, DateTimeKind.Utc);
        (replica.Id, replica.CitizenId, replica.CreatedAt, replica.ImportedBy) = (Guid.CreateVersion7(), Sample.CitizenId(Gender.Male, file.DateOfBirth), importedAt, "vanphong.hoankiem");

        await ApplyAsync(host, replica, 1);

        var timeline = await host.Run<QueryService, IReadOnlyList<HistoryEntry>>(s => s.HistoryAsync(replica.Id, CancellationToken.None));
        timeline.Select(h => (h.Action, h.Actor, h.At)).Should().Equal((Member.ImportedAction, "vanphong.hoankiem", importedAt));
    }

    [Fact]
    public async Task Replicated_members_are_found_by_name_on_sqlite_whether_the_batch_holds_tombstones_and_a_refused_batch_leaves_local_saves_named()
    {
        // Enough members that the search reads the names table (QueryService.SmallScope).
        await using var host = await MembersHost.StartAsync();
        (await host.Run<ImportExportService, ImportResult>(async s => await s.ImportAsync(
                await BulkImportTests.SyntheticFileAsync(QueryService.SmallScope + 1, 9, MemberFileFormat.Csv, _ => "Trần Văn An"), MemberFileFormat.Csv, null, CancellationToken.None)))
            .Succeeded.Should().BeTrue();
        var own = await host.RegisterOfficialAsync("Nguyễn Văn Hùng", TestOrganisation.CellA, new DateOnly(2011, 4, 9));
        Member Copy(string fullName, string searchName, string sortName)
        {
            var copy = JsonSerializer.Deserialize<Member>(JsonSerializer.SerializeToUtf8Bytes(own))!;
            (copy.Id, copy.CitizenId, copy.CardNumber, copy.FileNumber) = (Guid.CreateVersion7(), Sample.CitizenId(Gender.Male, own.DateOfBirth), null, null);
            (copy.FullName, copy.SearchName, copy.SortName) = (fullName, searchName, sortName);
            return copy;
        }

        IncomingReplica Incoming(Member file, long version, bool deleted = false) =>
            new("members.member", file.Id, "node-hk", version, deleted, TestOrganisation.CellA, Classification.Normal, deleted ? default : JsonSerializer.SerializeToUtf8Bytes(file));
        Task Apply(params IncomingReplica[] replicas) => host.Run<IServiceProvider>(sp =>
            new MembersReplicaHandler(sp.GetRequiredService<MembersDbContext>(), ActivatorUtilities.CreateInstance<HandoverFollower>(sp)).ApplyAsync(replicas, CancellationToken.None));
        async Task<IReadOnlyList<Guid>> Found(string text) => (await host.Run<QueryService, SearchResult>(q =>
            q.SearchAsync(new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = text }, CancellationToken.None))).Items.Select(i => i.Id).ToList();

        var (sao, sau) = (Copy("Phạm Văn Sao", "pham van sao", "sao pham van"), Copy("Lê Thị Sáu", "le thi sau", "sau le thi"));
        await Apply(Incoming(sao, 1), Incoming(sau, 1));
        (await Found("van sao")).Should().Equal(sao.Id);
        (await Found("thi sau")).Should().Equal(sau.Id);

        // The last member (the largest rowid) deleted and a new one inserted in one batch: the new one may take its rowid.
        var bay = Copy("Hoàng Văn Bảy", "hoang van bay", "bay hoang van");
        await Apply(Incoming(sau, 2, deleted: true), Incoming(bay, 1));
        (await Found("van bay")).Should().Equal(bay.Id);
        (await Found("thi sau")).Should().BeEmpty();

        // Refused at the save (the citizen id of a member stored here): nothing written, and the names trigger is back.
        var clash = Copy("Vũ Văn Tám", "vu van tam", "tam vu van");
        clash.CitizenId = own.CitizenId;
        var refused = () => Apply(Incoming(clash, 1));
        await refused.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>().Where(e => e.SqliteErrorCode == 19);
        (await Found("van tam")).Should().BeEmpty();
        var local = await host.RegisterOfficialAsync("Đặng Văn Chín", TestOrganisation.CellA, new DateOnly(2012, 5, 6), born: new DateOnly(1990, 3, 3));
        (await Found("dang van chin")).Should().Equal([local.Id], "a member saved here after a refused batch is named by the trigger");
    }

    [Fact]
    public async Task A_batch_of_replicas_applied_or_refused_on_sqlite_gives_its_connection_back_with_the_default_page_cache()
    {
        await using var host = await MembersHost.StartAsync();
        var own = await host.RegisterOfficialAsync("Phạm Thị Lưu", TestOrganisation.CellA, new DateOnly(2011, 4, 9), Gender.Female);
        var replica = JsonSerializer.Deserialize<Member>(JsonSerializer.SerializeToUtf8Bytes(own))!;
        (replica.Id, replica.CitizenId) = (Guid.CreateVersion7(), Sample.CitizenId(Gender.Female, own.DateOfBirth));

        await ApplyAsync(host, replica, 2);
        (await CacheSizeAsync(host)).Should().Be(-2000, "a batch's large page cache is for its own write only");

        var broken = new IncomingReplica("members.member", Guid.CreateVersion7(), "node-hk", 1, false, TestOrganisation.CellA, Classification.Normal, "{\"FullName\":"u8.ToArray());
        var refused = () => host.Run<IServiceProvider>(sp =>
            new MembersReplicaHandler(sp.GetRequiredService<MembersDbContext>(), ActivatorUtilities.CreateInstance<HandoverFollower>(sp)).ApplyAsync([broken], CancellationToken.None));
        await refused.Should().ThrowAsync<JsonException>();
        (await CacheSizeAsync(host)).Should().Be(-2000, "a refused batch restores it too");
        (await host.Db(db => db.Members.CountAsync())).Should().Be(2, "the refused batch wrote nothing");
    }

    private static Task<long> CacheSizeAsync(MembersHost host) => host.Db(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size";
        return (long)(await command.ExecuteScalarAsync())!;
    });

    private static Task ApplyAsync(MembersHost host, Member file, long version) => host.Run<IServiceProvider>(sp =>
        new MembersReplicaHandler(sp.GetRequiredService<MembersDbContext>(), ActivatorUtilities.CreateInstance<HandoverFollower>(sp)).ApplyAsync(
            [new IncomingReplica("members.member", file.Id, "node-hk", version, false, TestOrganisation.CellA, Classification.Normal, JsonSerializer.SerializeToUtf8Bytes(file))],
            CancellationToken.None));

    // A value's storage type and, for text, its letter case (a GUID in upper case, as EF writes it on SQLite).
    private static (Type, bool) Shape(object value) => (value.GetType(), value is string s && s == s.ToUpperInvariant());

    private static IEnumerable<(string Column, object Value)> Comparable(Dictionary<string, object> row) =>
        row.Where(c => !OwnColumns.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value));

    /// <summary>Every member row as the database returns it, by id: the stored values and their storage types, not EF's reading of them.</summary>
    private static Task<Dictionary<Guid, Dictionary<string, object>>> RawRowsAsync(MembersHost host) => host.Db(async db =>
    {
        var table = db.Model.FindEntityType(typeof(Member))!;
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT * FROM {(table.GetSchema() is { } schema ? $"\"{schema}\"." : "")}\"{table.GetTableName()}\"";
        await db.Database.OpenConnectionAsync();
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<Guid, Dictionary<string, object>>();
        while (await reader.ReadAsync())
        {
            var row = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetValue);
            rows[Guid.Parse(row["Id"].ToString()!)] = row;
        }

        return rows;
    });
}
