using System.Text;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Audit;
using DangVu.Core.Storage;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Modules.Members.Tests.Application;

/// <summary>The import's bulk path writes what a tracked save writes: feed, audit chain, timeline; and nothing on failure.</summary>
public sealed class BulkImportTests
{
    private static readonly (Guid Id, string Code)[] Cells =
        [(TestOrganisation.CellA, "HN.01.01.A"), (TestOrganisation.CellB, "HN.01.01.B"), (TestOrganisation.CellC, "HN.01.02")];

    /// <summary>A generated member list as a file, ready to import; <paramref name="rename"/> may give the n-th member another full name.</summary>
    internal static async Task<MemoryStream> SyntheticFileAsync(int count, int seed, MemberFileFormat format, Func<int, string?>? rename = null)
    {
        var file = new MemoryStream();
        var rows = SyntheticMembers.Generate(count, seed, MembersHost.Today, Cells.Length)
            .Select((m, n) => ImportExportService.FileRow(
                SyntheticMembers.ToMember(rename?.Invoke(n) is { } name ? m with { Profile = m.Profile with { FullName = name } } : m, Cells[m.CellIndex].Id),
                Cells[m.CellIndex].Code));
        await ImportExportService.WriteFileAsync(file, format, rows.ToAsyncEnumerable(), CancellationToken.None);
        file.Position = 0;
        return file;
    }

    private static Task<(int Members, int History, int Feed, int Audit)> CountsAsync(MembersHost host) =>
        host.Db(async db => (await db.Members.CountAsync(), await db.History.CountAsync(), await db.ChangeFeed.CountAsync(), await db.AuditTrail.CountAsync()));

    [Theory, StorageProviders]
    public async Task An_import_writes_a_feed_entry_per_record_and_one_audit_entry_naming_its_records_and_keeps_the_audit_chain_intact(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        await host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
        var before = await CountsAsync(host);

        var result = await host.Run<ImportExportService, ImportResult>(async s =>
            await s.ImportAsync(await SyntheticFileAsync(250, 3, MemberFileFormat.Csv), MemberFileFormat.Csv, null, CancellationToken.None));
        await host.RegisterOfficialAsync("Đỗ Thị Sau", TestOrganisation.CellB, new DateOnly(2012, 5, 6), Gender.Female);

        result.Errors.Should().BeEmpty();
        result.Imported.Should().Be(250);
        var after = await CountsAsync(host);
        after.Members.Should().Be(before.Members + 251);
        after.History.Should().Be(before.History + 1, "an imported member's timeline entry is read from the member, not stored");
        var imported = await host.Db(db => db.Members.AsNoTracking().Where(m => m.FullName != "Vũ Văn Hải" && m.FullName != "Đỗ Thị Sau").ToListAsync());
        imported.Should().OnlyContain(m => m.Version == 1 && m.OriginNode == "node-test" && m.CreatedAt > DateTime.UtcNow.AddMinutes(-5)
            && m.ImportedBy == MembersHost.WardOffice);
        var feed = await host.Db(db => db.ChangeFeed.AsNoTracking().Where(f => f.RecordType == "members.member").ToListAsync());
        feed.Where(f => imported.Select(m => m.Id).Contains(f.RecordId)).Should().HaveCount(250)
            .And.OnlyContain(f => f.Operation == ChangeOperation.Insert && f.Version == 1 && f.OriginNode == "node-test");
        var historyFeed = await host.Db(db => db.ChangeFeed.CountAsync(f => f.RecordType == "members.history"));
        historyFeed.Should().Be(after.History);
        var audit = await host.Db(db => db.AuditTrail.AsNoTracking().Where(a => a.RecordType == "members.member").OrderBy(a => a.Sequence).ToListAsync());
        audit.Select(a => a.Operation).Should().Equal(["insert", ModuleDbContext.BulkInsertOperation, "insert"], "the import is one audit entry between the two saves");
        audit.Select(a => a.ChangedFields).Distinct().Should().ContainSingle("a bulk insert lists the same fields as a tracked insert");
        var bulk = audit[1];
        bulk.ActorName.Should().Be(MembersHost.WardOffice);
        var importedInOrder = feed.Where(f => imported.Select(m => m.Id).Contains(f.RecordId)).OrderBy(f => f.Sequence).Select(f => f.RecordId).ToList();
        using (var detail = System.Text.Json.JsonDocument.Parse(bulk.Detail!))
        {
            detail.RootElement.GetProperty("records").GetInt32().Should().Be(250);
            detail.RootElement.GetProperty("first").GetString().Should().Be(importedInOrder[0].ToString());
            detail.RootElement.GetProperty("last").GetString().Should().Be(importedInOrder[^1].ToString());
            var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Concat(importedInOrder.Select(id => id + "\n")))));
            detail.RootElement.GetProperty("ids_sha256").GetString().Should().Be(digest, "the entry attests exactly which members the import wrote, in order");
        }

        (await host.Db(db => db.AuditTrail.CountAsync(a => a.RecordType == "members.history" && a.Operation == ModuleDbContext.BulkInsertOperation))).Should().Be(0);

        var named = imported[7];
        var found = await host.Run<QueryService, SearchResult>(s => s.SearchAsync(
            new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = Core.Abstractions.Text.VietnameseText.Fold(named.FullName), PageSize = 500 }, CancellationToken.None));
        found.Items.Should().Contain(i => i.Id == named.Id, "imported members are in the name index");

        var verifier = new AuditVerifier(host.Storage.Provider!.GetRequiredService<IServiceScopeFactory>(), host.Storage.Provider!.GetServices<ModuleStorage>());
        (await verifier.VerifyAsync(CancellationToken.None)).Should().OnlyContain(r => r.Intact);
    }

    [Theory, StorageProviders]
    public async Task A_cancelled_import_leaves_the_database_as_before(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        await host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
        var before = await CountsAsync(host);
        using var cancel = new CancellationTokenSource();
        var written = new List<int>();
        var progress = new InlineProgress(p =>
        {
            if (p.Stage == ImportStage.Writing)
            {
                written.Add(p.Done);
                cancel.Cancel();
            }
        });

        var act = () => host.Run<ImportExportService, ImportResult>(async s =>
            await s.ImportAsync(await SyntheticFileAsync(12_000, 5, MemberFileFormat.Csv), MemberFileFormat.Csv, progress, cancel.Token));

        await act.Should().ThrowAsync<OperationCanceledException>();
        written.Should().ContainSingle().Which.Should().BeGreaterThan(0).And.BeLessThan(12_000, "the cancellation came half way through the writing");
        (await CountsAsync(host)).Should().Be(before);
        var later = await host.RegisterOfficialAsync("Đỗ Thị Quyên", TestOrganisation.CellA, new DateOnly(2012, 3, 2));
        (await host.Run<QueryService, SearchResult>(s => s.SearchAsync(new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "thi quyen" }, CancellationToken.None)))
            .Items.Select(i => i.Id).Should().Equal([later.Id], "the name index still follows every save after an import rolled back");
    }

    [Theory, StorageProviders]
    public async Task Errors_found_after_the_first_batches_were_written_still_import_nothing_and_are_all_reported(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var stored = await host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
        var before = await CountsAsync(host);
        var rows = Csv.Read(new StreamReader(await SyntheticFileAsync(12_000, 11, MemberFileFormat.Csv))).ToList();
        rows.Select(r => r.Line).Should().Equal(Enumerable.Range(1, 12_001), "one line per member after the header");
        var gender = rows[0].Fields.ToList().IndexOf(ImportExportService.Gender);
        var citizenId = rows[0].Fields.ToList().IndexOf(ImportExportService.CitizenId);
        var edited = rows.Select(r => r.Fields.ToArray()).ToList();
        edited[11_000][gender] = "Không rõ";                 // line 11,001: checked after two batches went to the writer
        edited[11_900][citizenId] = stored.CitizenId;         // line 11,901: a number already in the database
        var file = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", edited.Select(Csv.Line)) + "\n"));
        var writing = new List<int>();

        var result = await host.Run<ImportExportService, ImportResult>(async s => await s.ImportAsync(
            file, MemberFileFormat.Csv, new InlineProgress(p => { if (p.Stage == ImportStage.Writing) { lock (writing) { writing.Add(p.Done); } } }), CancellationToken.None));

        result.Imported.Should().Be(0);
        result.Errors.Select(e => (e.Row, e.Column)).Should().Equal((11_001, ImportExportService.Gender), (11_901, ImportExportService.CitizenId));
        // The first batches may have been written (the writer runs beside the checking): never past the first bad row.
        writing.Should().NotContain(d => d >= 11_000);
        (await CountsAsync(host)).Should().Be(before, "the writing rolled back");
        var later = await host.RegisterOfficialAsync("Đỗ Thị Quyên", TestOrganisation.CellA, new DateOnly(2012, 3, 2));
        (await host.Run<QueryService, SearchResult>(s => s.SearchAsync(new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "thi quyen" }, CancellationToken.None)))
            .Items.Select(i => i.Id).Should().Equal([later.Id], "the name index follows saves after the rolled-back import");
    }

    [Fact]
    public async Task After_a_large_import_on_sqlite_the_connection_goes_back_to_the_pool_checkpointing_again_and_without_sort_threads()
    {
        await using var host = await MembersHost.StartAsync();

        var result = await host.Run<ImportExportService, ImportResult>(async s =>
            await s.ImportAsync(await SyntheticFileAsync(12_000, 13, MemberFileFormat.Csv), MemberFileFormat.Csv, null, CancellationToken.None));

        result.Imported.Should().Be(12_000);
        // The import's commit leaves the checkpoint to the background: a connection left so would let the WAL grow without end.
        (await PragmaAsync(host, "wal_autocheckpoint")).Should().Be(1000);
        (await PragmaAsync(host, "threads")).Should().Be(0);
        (await PragmaAsync(host, "cache_size")).Should().Be(-2000);
        (await host.Db(db => db.Members.CountAsync())).Should().Be(12_000);
    }

    [Fact]
    public async Task A_large_bulk_insert_in_a_transaction_of_its_own_on_sqlite_leaves_the_connection_with_its_settings()
    {
        await using var host = await MembersHost.StartAsync();
        var members = SyntheticMembers.Generate(12_000, 17, MembersHost.Today, Cells.Length)
            .Select(m => (ReplicatedRecord)SyntheticMembers.ToMember(m, Cells[m.CellIndex].Id)).ToList();

        await host.Db(async db =>
        {
            await db.BulkInsertAsync(members, null, CancellationToken.None);
            return 0;
        });

        (await PragmaAsync(host, "wal_autocheckpoint")).Should().Be(1000);
        (await PragmaAsync(host, "threads")).Should().Be(0);
        (await PragmaAsync(host, "cache_size")).Should().Be(-2000);
        (await host.Db(db => db.Members.CountAsync())).Should().Be(12_000);
    }

    [Fact]
    public async Task A_citizen_id_repeated_after_the_checking_sized_its_tables_for_the_file_is_reported_with_the_line_it_was_first_on()
    {
        await using var host = await MembersHost.StartAsync();
        // The file's length sizes the tables of numbers after 10,000 rows; the copy comes after that.
        var file = await SyntheticFileAsync(12_000, 29, MemberFileFormat.Csv);
        var records = Csv.Read(new StreamReader(file, Encoding.UTF8)).Select(r => r.Fields.ToArray()).ToList();
        // The same person again (a citizen ID goes with a gender and a birth year), with a file and card number of their own.
        var own = new[] { ImportExportService.FullName, ImportExportService.FileNumber, ImportExportService.CardNumber }
            .Select(h => ImportExportService.Headers.ToList().IndexOf(h)).ToList();
        var again = (string[])records[3].Clone();
        own.ForEach(c => again[c] = records[11_500][c]);
        records[11_500] = again;
        var edited = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\r\n", records.Select(r => Csv.Line(r))) + "\r\n"));

        var result = await host.Run<ImportExportService, ImportResult>(async s => await s.ImportAsync(edited, MemberFileFormat.Csv, null, CancellationToken.None));

        result.Imported.Should().Be(0);
        result.Errors.Should().ContainSingle().Which.Should().Match<ImportError>(e =>
            e.Row == 11_501 && e.Column == ImportExportService.CitizenId && e.MessageVi.Contains("dòng 4"));
        (await host.Db(db => db.Members.CountAsync())).Should().Be(0);
    }

    [Fact]
    public async Task A_bulk_insert_on_sqlite_writes_with_a_page_cache_of_1_GB_so_its_index_builds_read_the_table_from_memory()
    {
        await using var host = await MembersHost.StartAsync();
        var members = SyntheticMembers.Generate(2_000, 19, MembersHost.Today, Cells.Length)
            .Select(m => (ReplicatedRecord)SyntheticMembers.ToMember(m, Cells[m.CellIndex].Id)).ToList();
        var during = new List<long>();

        await host.Db(async db =>
        {
            async IAsyncEnumerable<IReadOnlyList<ReplicatedRecord>> Batches()
            {
                foreach (var batch in members.Chunk(1_000))
                {
                    // Asked for on the write's own connection, between its batches.
                    await using var command = db.Database.GetDbConnection().CreateCommand();
                    command.CommandText = "PRAGMA cache_size";
                    during.Add((long)(await command.ExecuteScalarAsync())!);
                    yield return batch;
                }
            }

            await db.BulkInsertAsync(Batches(), null, CancellationToken.None);
            return 0;
        });

        during.Should().Equal([-1_048_576, -1_048_576], "a cache in KiB: 500,000 members are 400 MB, read again by each of six index builds");
        (await PragmaAsync(host, "cache_size")).Should().Be(-2000);
        (await host.Db(db => db.Members.CountAsync())).Should().Be(2_000);
    }

    private static Task<long> PragmaAsync(MembersHost host, string pragma) => host.Db(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return (long)(await command.ExecuteScalarAsync())!;
    });

    [Fact]
    public async Task An_import_reports_checking_then_writing_progress_up_to_the_member_count()
    {
        await using var host = await MembersHost.StartAsync();
        var reports = new List<ImportProgress>();

        await host.Run<ImportExportService, ImportResult>(async s =>
            await s.ImportAsync(await SyntheticFileAsync(6_000, 9, MemberFileFormat.Csv), MemberFileFormat.Csv, new InlineProgress(reports.Add), CancellationToken.None));

        reports.Should().Contain(new ImportProgress(ImportStage.Checking, 6_000, 6_000));
        reports.Where(r => r.Stage == ImportStage.Writing).Select(r => r.Done).Should().BeInAscendingOrder().And.EndWith(6_000);
        reports.Where(r => r.Stage == ImportStage.Writing).Should().OnlyContain(r => r.Total == 6_000);
    }

    [Fact]
    public async Task A_bulk_inserted_member_and_timeline_entry_are_stored_in_the_same_text_as_a_tracked_save_on_SQLite()
    {
        await using var host = await MembersHost.StartAsync();
        var official = await host.RegisterOfficialAsync("Nguyễn Thị Ánh Tuyết", TestOrganisation.CellA, new DateOnly(2010, 3, 2), Gender.Female, card: "12345678");
        var probationary = await host.AdmitAsync("Đặng Văn Đức", TestOrganisation.CellA, new DateOnly(2026, 5, 4), await host.IntroducersAsync());
        foreach (var saved in new[] { official, probationary })
        {
            var member = await host.Db(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == saved.Id));
            var history = await host.Db(db => db.History.AsNoTracking().Where(h => h.MemberId == saved.Id).ToListAsync());
            var tracked = await host.Db(db => StoredAsync(db, saved.Id));
            await host.Db(async db => await db.History.Where(h => h.MemberId == saved.Id).ExecuteDeleteAsync() + await db.Members.Where(m => m.Id == saved.Id).ExecuteDeleteAsync());

            await host.Db(async db =>
            {
                await db.BulkInsertAsync([member, .. history], null, CancellationToken.None);
                return 0;
            });

            var bulk = await host.Db(db => StoredAsync(db, saved.Id));
            bulk.Should().HaveSameCount(tracked);
            foreach (var (column, value) in tracked)
            {
                // A bulk insert stamps version 1 and its own time: the same type and format, another value.
                if (column.EndsWith(".Version", StringComparison.Ordinal) || column.EndsWith("At", StringComparison.Ordinal))
                {
                    bulk[column].Should().MatchRegex(column.EndsWith(".Version", StringComparison.Ordinal) ? "^integer:[0-9]+$" : @"^text:'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,7})?'$", column);
                    value.Should().MatchRegex(column.EndsWith(".Version", StringComparison.Ordinal) ? "^integer:[0-9]+$" : @"^text:'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,7})?'$", column);
                }
                else
                {
                    bulk[column].Should().Be(value, column);
                }
            }
        }

        (await host.Run<QueryService, SearchResult>(s => s.SearchAsync(new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "anh tuyet" }, CancellationToken.None)))
            .Items.Select(i => i.Id).Should().Equal([official.Id], "the bulk-inserted copy is found by name and by its Id");
    }

    [Fact]
    public async Task An_import_into_an_empty_installation_leaves_every_index_of_the_members_as_it_was_and_searches_use_them_on_SQLite()
    {
        await using var host = await MembersHost.StartAsync();
        var before = await host.Db(IndexesAsync);

        var result = await host.Run<ImportExportService, ImportResult>(async s =>
            await s.ImportAsync(await SyntheticFileAsync(6_000, 7, MemberFileFormat.Csv), MemberFileFormat.Csv, null, CancellationToken.None));

        result.Errors.Should().BeEmpty();
        (await host.Db(IndexesAsync)).Should().Equal(before, "the indexes built after the rows are the ones the schema declares");
        var citizenId = await host.Db(db => db.Members.OrderBy(m => m.SortName).Select(m => m.CitizenId).FirstAsync());
        var plan = await host.Db(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var explain = db.Database.GetDbConnection().CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN SELECT * FROM members WHERE \"CitizenId\" = '000000000000'";
            await using var reader = await explain.ExecuteReaderAsync();
            var details = new List<string>();
            while (await reader.ReadAsync())
            {
                details.Add(reader.GetString(3));
            }

            return details;
        });
        plan.Should().ContainMatch("*IX_members_CitizenId*");
        (await host.Db(db => db.Members.CountAsync(m => m.CitizenId == citizenId))).Should().Be(1);
    }

    [Fact]
    public async Task A_bulk_insert_whose_rows_repeat_a_unique_number_fails_when_the_index_is_built_and_leaves_nothing_on_SQLite()
    {
        await using var host = await MembersHost.StartAsync();
        var before = await host.Db(IndexesAsync);
        var members = SyntheticMembers.Generate(3, seed: 5, MembersHost.Today, Cells.Length)
            .Select(m => SyntheticMembers.ToMember(m, Cells[m.CellIndex].Id)).ToList();
        members[2].CitizenId = members[0].CitizenId;

        var act = () => host.Db(async db =>
        {
            await db.BulkInsertAsync(new[] { (IReadOnlyList<ReplicatedRecord>)members }.ToAsyncEnumerable(), null, CancellationToken.None, [typeof(Member)]);
            return 0;
        });

        (await act.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>()).Which.Message.Should().Contain("CitizenId");
        (await host.Db(db => db.Members.CountAsync())).Should().Be(0);
        (await host.Db(IndexesAsync)).Should().Equal(before, "the rollback restores the indexes dropped for the insert");
    }

    [Fact]
    public async Task A_bulk_insert_on_SQLite_stores_every_text_whole_and_an_empty_one_as_empty_not_null_whatever_the_text_before_it()
    {
        await using var host = await MembersHost.StartAsync();
        // Each place of the many-row statement holds a long text, then an empty one, then a short one, row after row; the
        // rows left over at the end go one per statement.
        var addresses = new[] { string.Concat(Enumerable.Repeat("Số 12 ngõ Văn Chương, phường Văn Miếu - Quốc Tử Giám, ", 5)), "", "Đống Đa" };
        var members = SyntheticMembers.Generate(1_000, seed: 23, MembersHost.Today, Cells.Length)
            .Select((m, n) =>
            {
                var member = SyntheticMembers.ToMember(m, Cells[m.CellIndex].Id);
                member.Address = addresses[n % addresses.Length];
                member.OtherNames = addresses[(n / 7) % addresses.Length];
                return member;
            })
            .ToList();

        await host.Db(async db =>
        {
            await db.BulkInsertAsync(members.Cast<ReplicatedRecord>().ToList(), null, CancellationToken.None);
            return 0;
        });

        var stored = await host.Db(db => db.Database
            .SqlQueryRaw<string>("SELECT \"Id\" || '|' || typeof(\"Address\") || '|' || \"Address\" || '|' || typeof(\"OtherNames\") || '|' || \"OtherNames\" AS \"Value\" FROM members")
            .ToListAsync());
        stored.Should().BeEquivalentTo(members.Select(m => $"{m.Id.ToString().ToUpperInvariant()}|text|{m.Address}|text|{m.OtherNames}"));
    }

    internal static Task<List<string>> IndexesAsync(MembersDbContext db) =>
        db.Database.SqlQueryRaw<string>("SELECT name || ': ' || sql AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL ORDER BY name").ToListAsync();

    // Each column of the member's row and its timeline rows as SQLite holds it: "type:quoted value", by table.column (timeline rows by action).
    private static async Task<Dictionary<string, string>> StoredAsync(MembersDbContext db, Guid memberId)
    {
        var stored = new Dictionary<string, string>();
        foreach (var (table, key, order) in new[] { ("members", "Id", "Id"), ("member_history", "MemberId", "Action") })
        {
            // The table and column names are this test's and the schema's own, not input.
            var columnsSql = $"SELECT name AS \"Value\" FROM pragma_table_info('{table}')";
            var columns = await db.Database.SqlQueryRaw<string>(columnsSql).ToListAsync();
            var select = string.Join(" || char(31) || ", columns.Select(c => $"typeof(\"{c}\") || ':' || quote(\"{c}\")"));
            var rowsSql = $"SELECT {select} AS \"Value\" FROM \"{table}\" WHERE \"{key}\" = {{0}} ORDER BY \"{order}\"";
            var rows = await db.Database.SqlQueryRaw<string>(rowsSql, memberId).ToListAsync();
            rows.Should().NotBeEmpty();
            for (var r = 0; r < rows.Count; r++)
            {
                var values = rows[r].Split('\u001f');
                for (var c = 0; c < columns.Count; c++)
                {
                    stored[$"{table}[{r}].{columns[c]}"] = values[c];
                }
            }
        }

        return stored;
    }

    private sealed class InlineProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
