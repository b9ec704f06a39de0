using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Events;
using DangVu.Core.Storage;
using DangVu.Core.Tests.Support;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using DangVu.Modules.Members.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace DangVu.Modules.Members.Tests.Storage;

public sealed class MembersStorageTests
{
    [Theory, StorageProviders]
    public async Task The_schema_built_by_the_migrations_matches_the_model(string provider)
    {
        await using var storage = new TestStorage(provider);
        var moduleId = storage.ModuleId("members");
        var (byMigrations, byModel) = await SchemaSnapshot.MigrationsAndModelAsync(storage.Settings, typeof(MembersDbContext), moduleId);

        byMigrations.Should().Contain(l => l.StartsWith("table members", StringComparison.Ordinal));
        // The distinct names the name search reads are outside the EF model by design (kept by triggers); the
        // FTS5 table they replaced on SQLite is gone.
        var search = byMigrations.Where(l => l.Contains(MembersSearchIndex.Names, StringComparison.Ordinal)).ToList();
        search.Should().Contain(l => l.StartsWith("table " + MembersSearchIndex.Names, StringComparison.Ordinal));
        byMigrations.Should().NotContain(l => l.Contains(MembersSearchIndex.Table, StringComparison.Ordinal) || l.Contains("gin_trgm_ops", StringComparison.Ordinal));

        byMigrations.Except(search).Should().Equal(byModel);
    }

    [Theory, StorageProviders]
    public async Task Saving_a_member_writes_its_change_feed_entry_and_admission_event_in_the_same_save(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var introducers = await host.IntroducersAsync();
        var member = await host.AdmitAsync("Phạm Thị Hồng", TestOrganisation.CellA, new DateOnly(2026, 5, 4), introducers);

        var (feed, outbox) = await host.Db(async db => (
            await db.ChangeFeed.Where(f => f.RecordId == member.Id).ToListAsync(),
            await db.Outbox.Select(o => o.EventType).ToListAsync()));

        feed.Should().ContainSingle().Which.Should().Match<DangVu.Core.Abstractions.Storage.ChangeFeedEntry>(f =>
            f.RecordType == "members.member" && f.OwnerOrgUnitId == TestOrganisation.CellA && f.Version == 1);
        outbox.Should().Contain("dangvu.members.v1.MemberAdmitted");
        member.Version.Should().Be(1);
        member.OriginNode.Should().Be("node-test");
    }

    [Theory, StorageProviders]
    public async Task An_edit_based_on_a_stale_version_is_refused_and_saves_nothing(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var member = await host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
        var profile = Sample.Profile("Vũ Văn Hải", Gender.Male, member.DateOfBirth) with { CitizenId = member.CitizenId };

        var first = await host.Run<AdmissionService, Member>(s => s.UpdateProfileAsync(
            new UpdateProfileCommand(member.Id, member.Version, profile with { Phone = "0912 345 678" }, "cập nhật số điện thoại"), CancellationToken.None));
        var stale = () => host.Run<AdmissionService, Member>(s => s.UpdateProfileAsync(
            new UpdateProfileCommand(member.Id, member.Version, profile with { Workplace = "UBND phường" }, "sửa nơi công tác"), CancellationToken.None));

        first.Version.Should().Be(2);
        (await stale.Should().ThrowAsync<ConcurrencyConflictException>()).Which.MessageVi.Should().Contain("Người khác vừa thay đổi");
        var saved = await host.Db(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == member.Id));
        saved.Phone.Should().Be("0912 345 678");
        saved.Workplace.Should().BeEmpty();
        saved.Version.Should().Be(2);
    }

    [Theory, StorageProviders]
    public async Task The_database_refuses_a_second_member_with_the_same_citizen_id(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var member = await host.RegisterOfficialAsync("Đỗ Văn Nam", TestOrganisation.CellA, new DateOnly(2012, 1, 5));

        var act = () => host.Db(async db =>
        {
            var copy = new Member { OwnerOrgUnitId = TestOrganisation.CellB, FullName = "Bản sao", CitizenId = member.CitizenId, AdmissionDecision = "x" };
            db.Members.Add(copy);
            return await db.SaveChangesAsync();
        });

        await act.Should().ThrowAsync<DbUpdateException>();
    }
}
