using DangVu.Contracts.Members.V1;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;

namespace DangVu.Host.Tests;

/// <summary>
/// The Members module end to end: packaged and installed as a plugin, served over gRPC by the
/// real host, guarded by the organisation scope of the caller's roles.
/// </summary>
public sealed class MembersRpcTests
{
    [Fact]
    public async Task A_chi_bo_secretary_registers_and_finds_a_member_and_another_chi_bo_cannot_see_it()
    {
        await using var installation = new TestInstallation();
        await installation.InstallModuleAsync("Members");
        var (committee, server) = await Committee.ServeAsync(installation);
        await using var _ = server;
        var lan = await committee.TokenAsync(server, "lan.tt");
        var binh = await committee.TokenAsync(server, "binh.lv");
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var members = new MembersServiceClient(channel);
        var cb1 = committee.Orgs["HN.BD.CB1"].ToString();

        var registered = await members.RegisterMemberAsync(new()
        {
            OrgUnitId = cb1,
            Profile = Profile("Nguyễn Văn An", "001080123456"),
            Status = MemberStatus.Official,
            AdmissionDate = new CalendarDate { Year = 2005, Month = 5, Day = 19 },
            AdmissionDecision = "125-QĐ/ĐUP",
            AdmissionCeremonyDate = new CalendarDate { Year = 2005, Month = 5, Day = 25 },
            OfficialDate = new CalendarDate { Year = 2006, Month = 6, Day = 1 },
            OfficialDecision = "140-QĐ/ĐUP",
        }, As(lan));
        var found = await members.SearchMembersAsync(new() { Text = "nguyen van an", OrgUnitId = cb1 }, As(lan));
        var peek = async () => await members.GetMemberAsync(new() { MemberId = registered.Id }, As(binh));
        var plant = async () => await members.RegisterMemberAsync(new()
        {
            OrgUnitId = cb1,
            Profile = Profile("Lê Văn Cài", "001085654321"),
            Status = MemberStatus.Official,
            AdmissionDate = new CalendarDate { Year = 2010, Month = 1, Day = 1 },
            AdmissionDecision = "1-QĐ/ĐUP",
            AdmissionCeremonyDate = new CalendarDate { Year = 2010, Month = 1, Day = 5 },
            OfficialDate = new CalendarDate { Year = 2011, Month = 1, Day = 10 },
            OfficialDecision = "2-QĐ/ĐUP",
        }, As(binh));

        registered.Profile.FullName.Should().Be("Nguyễn Văn An");
        found.Total.Should().Be(1);
        found.Items.Single().Id.Should().Be(registered.Id);
        (await peek.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().BeOneOf(StatusCode.PermissionDenied, StatusCode.NotFound);
        (await plant.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.PermissionDenied);
        (await members.SearchMembersAsync(new() { Text = "le van cai", OrgUnitId = cb1 }, As(lan))).Total.Should().Be(0);
    }

    [Fact]
    public async Task An_invalid_citizen_id_is_refused_with_the_field_and_a_vietnamese_message()
    {
        await using var installation = new TestInstallation();
        await installation.InstallModuleAsync("Members");
        var (committee, server) = await Committee.ServeAsync(installation);
        await using var _ = server;
        var lan = await committee.TokenAsync(server, "lan.tt");
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var members = new MembersServiceClient(channel);

        var register = async () => await members.RegisterMemberAsync(new()
        {
            OrgUnitId = committee.Orgs["HN.BD.CB1"].ToString(),
            Profile = Profile("Phạm Thị Hoa", "12345"),
            Status = MemberStatus.Official,
            AdmissionDate = new CalendarDate { Year = 2005, Month = 5, Day = 19 },
            AdmissionDecision = "1-QĐ/ĐUP",
            AdmissionCeremonyDate = new CalendarDate { Year = 2005, Month = 5, Day = 25 },
            OfficialDate = new CalendarDate { Year = 2006, Month = 6, Day = 1 },
            OfficialDecision = "2-QĐ/ĐUP",
        }, As(lan));

        var status = (await register.Should().ThrowAsync<RpcException>()).Which.Status;
        status.StatusCode.Should().Be(StatusCode.InvalidArgument);
        status.Detail.Should().Contain("citizen_id");
    }

    private static Profile Profile(string name, string citizenId) => new()
    {
        FullName = name,
        Gender = name.Contains("Thị") ? Gender.Female : Gender.Male,
        DateOfBirth = new CalendarDate { Year = citizenId.Length == 12 ? 1900 + int.Parse(citizenId.Substring(4, 2)) : 1980, Month = 3, Day = 15 },
        PlaceOfBirth = "Hà Nội",
        Hometown = "Nam Định",
        EthnicityCode = "01",
        ReligionCode = "00",
        CitizenId = citizenId,
        GeneralEducation = "12/12",
        TheoryLevel = TheoryLevel.Intermediate,
        Occupation = "Giáo viên",
    };

    private static CallOptions As(string token) => Committee.Bearer(token);
}

/// <summary>Demo data on request: generated member files spread over the node's chi bộ.</summary>
public sealed class MembersDemoTests
{
    [Fact]
    public async Task Demo_members_are_registered_across_the_chi_bo_only_when_asked_and_only_once()
    {
        await using var installation = new TestInstallation();
        await installation.InstallModuleAsync("Members");
        var committee = await Committee.SetUpAsync(installation);
        var demo = new Dictionary<string, string> { ["DANGVU__Modules__members__DemoMembers"] = "24" };
        int lanSees, binhSees;
        await using (var server = installation.Cli.Serve(demo))
        {
            await server.WaitUntilReadyAsync();
            var lan = await committee.TokenAsync(server, "lan.tt");
            var binh = await committee.TokenAsync(server, "binh.lv");
            using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
            var members = new MembersServiceClient(channel);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                await Task.Delay(500);
                lanSees = await CountAsync(members, lan, committee.Orgs["HN.BD.CB1"]);
                binhSees = await CountAsync(members, binh, committee.Orgs["HN.BD.CB2"]);
            }
            while (lanSees + binhSees < 24 && DateTime.UtcNow < deadline);
        }

        (lanSees + binhSees).Should().Be(24);
        lanSees.Should().BeGreaterThan(0);
        binhSees.Should().BeGreaterThan(0);
        (await installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM members")).Should().Be(24);

        // A restart with the same setting finds members and adds none.
        await using (var again = installation.Cli.Serve(demo))
        {
            await again.WaitUntilReadyAsync();
            await Task.Delay(2000);
        }

        (await installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM members")).Should().Be(24);
    }

    private static async Task<int> CountAsync(MembersServiceClient members, string token, Guid org) =>
        (await members.SearchMembersAsync(new() { OrgUnitId = org.ToString(), PageSize = 1 },
            Committee.Bearer(token))).Total;
}
