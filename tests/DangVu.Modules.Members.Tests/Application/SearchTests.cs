using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class SearchTests
{
    private sealed record Seeded(Member An, Member Binh, Member Cuong, Member Anh, Member LeAn);

    private static async Task<Seeded> SeedAsync(MembersHost host)
    {
        var an = await host.RegisterOfficialAsync("Nguyễn Văn An", TestOrganisation.CellA, new DateOnly(2005, 5, 1), born: new DateOnly(1980, 2, 1), card: "01234567");
        var binh = await host.Run<AdmissionService, Member>(s => s.RegisterAsync(
            new RegisterMemberCommand(TestOrganisation.CellA, Sample.Profile("Nguyễn Thị Bình", Gender.Female, new DateOnly(1995, 6, 1), ethnicity: "02") with { FileNumber = "HN-001234" },
                MemberStatus.Official, new DateOnly(2018, 1, 1), "01-QĐ/ĐU", new DateOnly(2018, 1, 10), new DateOnly(2019, 1, 10), "02-NQ/CB"),
            CancellationToken.None));
        var cuong = await host.RegisterOfficialAsync("Trần Văn Cường", TestOrganisation.CellA, new DateOnly(1985, 1, 1), born: new DateOnly(1960, 3, 3));
        var anh = await host.RegisterOfficialAsync("Nguyễn Văn Anh", TestOrganisation.CellB, new DateOnly(2015, 1, 1), born: new DateOnly(1990, 1, 1));
        var leAn = await host.Run<AdmissionService, Member>(s => s.RegisterAsync(
            new RegisterMemberCommand(TestOrganisation.CellC, Sample.Profile("Lê Văn An", Gender.Male, new DateOnly(1975, 1, 1), religion: "02"),
                MemberStatus.Official, new DateOnly(1999, 1, 1), "01-QĐ/ĐU", new DateOnly(1999, 1, 10), new DateOnly(2000, 1, 10), "02-NQ/CB"),
            CancellationToken.None));
        return new Seeded(an, binh, cuong, anh, leAn);
    }

    private static Task<SearchResult> Search(MembersHost host, MemberSearch search) =>
        host.Run<QueryService, SearchResult>(s => s.SearchAsync(search, CancellationToken.None));

    [Theory, StorageProviders]
    public async Task A_name_typed_without_diacritics_or_case_finds_the_member(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var seeded = await SeedAsync(host);

        var plain = await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "nguyen van an" });
        var shouted = await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "NGUYỄN văn AN" });

        plain.Items.Select(i => i.FullName).Should().Equal("Nguyễn Văn An", "Nguyễn Văn Anh");
        shouted.Items.Select(i => i.Id).Should().Equal(plain.Items.Select(i => i.Id));
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "dinh" })).Total.Should().Be(0);
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "van an" })).Items.Select(i => i.Id).Should().BeEquivalentTo([seeded.An.Id, seeded.Anh.Id, seeded.LeAn.Id]);
    }

    [Theory, StorageProviders]
    public async Task The_name_index_follows_a_rename_in_the_same_save_and_short_or_odd_queries_still_work(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var seeded = await SeedAsync(host);
        var profile = Sample.Profile("Đỗ Văn Tiến", Gender.Male, seeded.An.DateOfBirth, card: seeded.An.CardNumber) with { CitizenId = seeded.An.CitizenId };
        await host.Run<AdmissionService, Member>(s => s.UpdateProfileAsync(
            new UpdateProfileCommand(seeded.An.Id, seeded.An.Version, profile, "đổi tên theo giấy khai sinh"), CancellationToken.None));

        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "do van tien" })).Items.Should().ContainSingle().Which.Id.Should().Be(seeded.An.Id);
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "nguyen van an" })).Items.Select(i => i.Id).Should().Equal(seeded.Anh.Id);
        // A few members are searched by their organisations (QueryService.SmallScope); the names follow the save too.
        (await host.Db(db => db.Schema is null
                ? db.Database.SqlQueryRaw<string>(MembersSearchIndex.SqliteMatchingNames(descending: false, first: true), "do van tien", 10).ToListAsync()
                : db.Database.SqlQueryRaw<MemberName>(MembersSearchIndex.PostgresNamesContaining(db.Schema), "do van tien").Select(n => n.SortName).ToListAsync()))
            .Should().Equal("tien do van tien");
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "Tí" })).Items.Select(i => i.Id)
            .Should().Equal([seeded.An.Id], "two letters match like any part");
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "van \"an% _" })).Total.Should().Be(0);
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "Văn", Gender = Gender.Female })).Total.Should().Be(0);
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "van", PageSize = 2, Page = 2 })).Should()
            .Match<SearchResult>(r => r.Total == 4 && r.Items.Count == 2, "matches are counted and paged in the sort order");
    }

    [Theory, StorageProviders]
    public async Task Citizen_id_card_and_file_numbers_find_exactly_one_member(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var seeded = await SeedAsync(host);

        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = seeded.Binh.CitizenId })).Items.Should().ContainSingle().Which.Id.Should().Be(seeded.Binh.Id);
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "01234567" })).Items.Should().ContainSingle().Which.Id.Should().Be(seeded.An.Id);
        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "HN-001234" })).Items.Should().ContainSingle().Which.Id.Should().Be(seeded.Binh.Id);
    }

    [Theory, StorageProviders]
    public async Task Filters_combine_and_pages_follow_the_sort(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var s = await SeedAsync(host);
        var ward = new MemberSearch { OrgUnitId = TestOrganisation.Ward, AsOf = MembersHost.Today };

        (await Search(host, ward with { Gender = Gender.Female })).Items.Select(i => i.Id).Should().Equal(s.Binh.Id);
        (await Search(host, ward with { AgeFrom = 60 })).Items.Select(i => i.Id).Should().Equal(s.Cuong.Id);
        (await Search(host, ward with { AgeFrom = 32, AgeTo = 46 })).Items.Select(i => i.Id).Should().BeEquivalentTo([s.Anh.Id, s.An.Id]);
        (await Search(host, ward with { EthnicityCode = "02" })).Items.Select(i => i.Id).Should().Equal(s.Binh.Id);
        (await Search(host, ward with { ReligionCode = "02" })).Items.Select(i => i.Id).Should().Equal(s.LeAn.Id);
        (await Search(host, ward with { PartyAgeFrom = 25 })).Items.Select(i => i.Id).Should().BeEquivalentTo([s.Cuong.Id, s.LeAn.Id]);
        (await Search(host, ward with { OrgUnitId = TestOrganisation.School, Statuses = [MemberStatus.Official] })).Total.Should().Be(4);

        var page1 = await Search(host, ward with { Sort = MemberSort.DateOfBirth, Descending = true, PageSize = 2 });
        var page3 = await Search(host, ward with { Sort = MemberSort.DateOfBirth, Descending = true, PageSize = 2, Page = 3 });
        page1.Total.Should().Be(5);
        page1.Items.Select(i => i.Id).Should().Equal(s.Binh.Id, s.Anh.Id);
        page3.Items.Select(i => i.Id).Should().Equal(s.Cuong.Id);

        var byName = await Search(host, ward);
        byName.Items.Select(i => i.FullName).Should().Equal("Lê Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Thị Bình", "Trần Văn Cường");
        var streamed = new List<MemberSummary>();
        await host.Run<QueryService>(async q =>
        {
            await foreach (var item in q.StreamAsync(ward, CancellationToken.None))
            {
                streamed.Add(item);
            }
        });
        streamed.Select(i => i.Id).Should().Equal(byName.Items.Select(i => i.Id));
    }

    [Theory, StorageProviders]
    public async Task Over_a_thousand_matches_are_counted_as_more_than_a_thousand_and_every_page_keeps_the_name_order(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        (await host.Run<ImportExportService, ImportResult>(async s =>
            await s.ImportAsync(await BulkImportTests.SyntheticFileAsync(4_000, 21, MemberFileFormat.Csv), MemberFileFormat.Csv, null, CancellationToken.None)))
            .Succeeded.Should().BeTrue();
        var expected = await host.Db(db => db.Members.Where(m => m.SearchName.Contains("nguyen")).OrderBy(m => m.SortName).ThenBy(m => m.Id).Select(m => m.Id).ToListAsync());
        expected.Count.Should().BeGreaterThan(QueryService.CountCap, "the common family name matches more than the count goes");
        var search = new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "Nguyễn", PageSize = 20 };

        var first = await Search(host, search);
        var third = await Search(host, search with { Page = 3 });
        var lastPage = (expected.Count - 1) / 250 + 1;
        var last = await Search(host, search with { PageSize = 250, Page = lastPage });
        var everyone = await Search(host, search with { Text = "" });

        (first.Total, first.MoreThanTotal).Should().Be((QueryService.CountCap, true));
        first.Items.Select(i => i.Id).Should().Equal(expected.Take(20));
        third.Items.Select(i => i.Id).Should().Equal(expected.Skip(40).Take(20));
        (last.Total, last.MoreThanTotal).Should().Be((expected.Count, false), "a page past the cap counts to its end");
        last.Items.Select(i => i.Id).Should().Equal(expected.Skip((lastPage - 1) * 250));
        (everyone.Total, everyone.MoreThanTotal).Should().Be((QueryService.CountCap, true));
        (await Search(host, search with { Text = "nguyen van an" })).MoreThanTotal.Should().BeFalse();
        var descending = await Search(host, search with { Descending = true });
        descending.Items.Select(i => i.Id).Should().Equal(await host.Db(db => db.Members.Where(m => m.SearchName.Contains("nguyen"))
            .OrderByDescending(m => m.SortName).ThenBy(m => m.Id).Select(m => m.Id).Take(20).ToListAsync()));
    }

    [Theory, StorageProviders]
    public async Task A_common_given_name_far_down_the_name_order_still_pages_in_that_order_and_a_secretary_sees_only_her_chi_bo(string provider)
    {
        // More "An" than a small scope holds (the names are read), then more "Vinh" than the count goes: the
        // first page of "vinh" lies past every "An" in the name order.
        var ans = QueryService.SmallScope + 10;
        var vinhs = QueryService.CountCap + 150;
        await using var host = await MembersHost.StartAsync(provider);
        (await host.Run<ImportExportService, ImportResult>(async s => await s.ImportAsync(
                await BulkImportTests.SyntheticFileAsync(ans + vinhs, 5, MemberFileFormat.Csv, n => n < ans ? "Trần Văn An" : "Lê Quang Vinh"),
                MemberFileFormat.Csv, null, CancellationToken.None)))
            .Succeeded.Should().BeTrue();
        async Task<List<Guid>> Expected(string part, bool descending, Guid? cell = null) => await host.Db(db =>
        {
            var matches = db.Members.Where(m => m.SearchName.Contains(part) && (cell == null || m.OwnerOrgUnitId == cell));
            return (descending ? matches.OrderByDescending(m => m.SortName) : matches.OrderBy(m => m.SortName)).ThenBy(m => m.Id).Select(m => m.Id).ToListAsync();
        });
        var vinh = new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "Vinh", PageSize = 20 };

        var first = await Search(host, vinh);
        var second = await Search(host, vinh with { Page = 2 });
        var descending = await Search(host, vinh with { Descending = true });
        var an = await Search(host, vinh with { Text = "an" });

        (first.Total, first.MoreThanTotal).Should().Be((QueryService.CountCap, true));
        first.Items.Select(i => i.Id).Should().Equal((await Expected("vinh", false)).Take(20));
        second.Items.Select(i => i.Id).Should().Equal((await Expected("vinh", false)).Skip(20).Take(20));
        descending.Items.Select(i => i.Id).Should().Equal((await Expected("vinh", true)).Take(20));
        an.Items.Select(i => i.Id).Should().Equal((await Expected("an", false)).Take(20), "a part spread from the start of the name order pages in that order too");
        (await Search(host, vinh with { Text = "Đinh" })).Should().Match<SearchResult>(r => r.Total == 0 && r.Items.Count == 0 && !r.MoreThanTotal, "no one bears the name");
        host.As(MembersHost.Secretary);
        var own = await Search(host, vinh with { OrgUnitId = TestOrganisation.CellA, PageSize = 500 });
        var expectedOwn = await Expected("vinh", false, TestOrganisation.CellA);
        expectedOwn.Should().NotBeEmpty();
        (own.Total, own.MoreThanTotal).Should().Be((expectedOwn.Count, false));
        own.Items.Select(i => i.Id).Should().Equal(expectedOwn.Take(500));
    }

    [Fact]
    public async Task A_page_size_out_of_range_is_the_fields_error()
    {
        await using var host = await MembersHost.StartAsync();
        await ((Func<Task>)(() => Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, PageSize = 0 }))).InvalidField("page_size");
        await ((Func<Task>)(() => Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, PageSize = 501 }))).InvalidField("page_size");
    }

    [Fact]
    public async Task The_secretary_of_chi_bo_A_sees_only_chi_bo_A()
    {
        await using var host = await MembersHost.StartAsync();
        var s = await SeedAsync(host);
        host.As(MembersHost.Secretary);

        (await Search(host, new MemberSearch { OrgUnitId = TestOrganisation.CellA, Text = "nguyen" })).Items.Select(i => i.Id).Should().BeEquivalentTo([s.An.Id, s.Binh.Id]);
        await ((Func<Task>)(() => Search(host, new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "nguyen" }))).Denied();
        await ((Func<Task>)(() => Search(host, new MemberSearch { OrgUnitId = TestOrganisation.CellB }))).Denied();
        await ((Func<Task>)(() => host.Run<QueryService, Member>(q => q.GetAsync(s.Anh.Id, CancellationToken.None)))).Denied();
        await ((Func<Task>)(() => host.Run<QueryService, IReadOnlyList<HistoryEntry>>(q => q.HistoryAsync(s.Anh.Id, CancellationToken.None)))).Denied();
        await ((Func<Task>)(() => host.Run<QueryService, MemberStatistics>(q => q.StatisticsAsync(TestOrganisation.Ward, MembersHost.Today, CancellationToken.None)))).Denied();
    }

    [Theory, StorageProviders]
    public async Task Statistics_count_the_subtree_by_status_gender_age_ethnicity_religion_and_Party_age(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var s = await SeedAsync(host);
        await host.Run<StatusService, Member>(q => q.RecordLeavingAsync(
            new RecordLeavingCommand(s.Cuong.Id, 0, LeaveReason.Deceased, "", new DateOnly(2026, 10, 1), ""), CancellationToken.None));

        var ward = await host.Run<QueryService, MemberStatistics>(q => q.StatisticsAsync(TestOrganisation.Ward, MembersHost.Today, CancellationToken.None));
        var school = await host.Run<QueryService, MemberStatistics>(q => q.StatisticsAsync(TestOrganisation.School, MembersHost.Today, CancellationToken.None));

        ward.Total.Should().Be(4);
        ward.ByStatus.Should().BeEquivalentTo(new Dictionary<string, int> { ["Official"] = 4, ["Deceased"] = 1 });
        ward.ByGender.Should().BeEquivalentTo(new Dictionary<string, int> { ["Male"] = 3, ["Female"] = 1 });
        ward.ByAgeBand.Should().BeEquivalentTo(new Dictionary<string, int> { ["31-40"] = 2, ["41-50"] = 1, ["51-60"] = 1 });
        ward.ByEthnicity.Should().BeEquivalentTo(new Dictionary<string, int> { ["01"] = 3, ["02"] = 1 });
        ward.ByReligion.Should().BeEquivalentTo(new Dictionary<string, int> { ["00"] = 3, ["02"] = 1 });
        ward.ByTheoryLevel.Should().BeEquivalentTo(new Dictionary<string, int> { ["Intermediate"] = 4 });
        ward.ByGeneralEducation.Should().BeEquivalentTo(new Dictionary<string, int> { ["12/12"] = 4 });
        ward.ByPartyAgeBand.Should().BeEquivalentTo(new Dictionary<string, int> { ["<10"] = 1, ["10-19"] = 1, ["20-29"] = 2 });
        school.Total.Should().Be(3);
    }

    [Theory, StorageProviders]
    public async Task Age_and_Party_age_bands_count_full_years_on_the_day_including_a_29_February(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        await host.RegisterOfficialAsync("Nguyễn Văn Nhuận", TestOrganisation.CellA, new DateOnly(2016, 2, 29));
        await host.RegisterOfficialAsync("Trần Văn Tư", TestOrganisation.CellA, new DateOnly(2016, 3, 1));
        await host.RegisterOfficialAsync("Lê Văn Ba Mốt", TestOrganisation.CellA, new DateOnly(2020, 1, 1), born: new DateOnly(1995, 2, 28));
        await host.RegisterOfficialAsync("Phạm Văn Ba Mươi", TestOrganisation.CellA, new DateOnly(2020, 1, 1), born: new DateOnly(1995, 3, 1));

        var statistics = await host.Run<QueryService, MemberStatistics>(q => q.StatisticsAsync(TestOrganisation.Ward, new DateOnly(2026, 2, 28), CancellationToken.None));

        statistics.ByAgeBand.Should().BeEquivalentTo(new Dictionary<string, int> { ["31-40"] = 3, ["<=30"] = 1 });
        statistics.ByPartyAgeBand.Should().BeEquivalentTo(new Dictionary<string, int> { ["10-19"] = 1, ["<10"] = 3 }, "admitted on 29 February 2016, ten full years on 28 February 2026");
    }
}
