using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class ContractMappingTests
{
    public static TheoryData<Type, Type> EnumPairs => new()
    {
        { typeof(Gender), typeof(V1.Gender) },
        { typeof(MemberStatus), typeof(V1.MemberStatus) },
        { typeof(LeaveReason), typeof(V1.LeaveReason) },
        { typeof(TheoryLevel), typeof(V1.TheoryLevel) },
        { typeof(TransferKind), typeof(V1.TransferKind) },
        { typeof(DisciplineForm), typeof(V1.DisciplineForm) },
        { typeof(ExemptionReason), typeof(V1.ExemptionReason) },
        { typeof(DuesBasisKind), typeof(V1.DuesBasisKind) },
    };

    [Theory]
    [MemberData(nameof(EnumPairs))]
    public void Every_domain_enum_value_has_the_same_number_and_name_in_the_contract(Type domain, Type contract)
    {
        foreach (var value in Enum.GetValues(domain).Cast<Enum>().Where(v => Convert.ToInt32(v) != 0))
        {
            Enum.GetName(contract, Convert.ToInt32(value)).Should().Be(value.ToString(), $"{domain.Name}.{value} crosses the wire by number");
        }

        Enum.GetValues(contract).Length.Should().Be(Enum.GetValues(domain).Cast<Enum>().Count(v => Convert.ToInt32(v) != 0) + 1);
    }

    [Fact]
    public async Task An_admission_request_maps_to_the_operation_and_the_member_back_to_the_message()
    {
        await using var host = await MembersHost.StartAsync();
        var introducers = await host.IntroducersAsync();
        var request = new V1.AdmitMemberRequest
        {
            OrgUnitId = TestOrganisation.CellA.ToString(),
            DecisionNumber = "15-QĐ/ĐU",
            DecisionDate = new V1.CalendarDate { Year = 2026, Month = 5, Day = 4 },
            CeremonyDate = new V1.CalendarDate { Year = 2026, Month = 5, Day = 14 },
            Profile = new V1.Profile
            {
                FullName = "Phạm Thị Hồng",
                Gender = V1.Gender.Female,
                DateOfBirth = new V1.CalendarDate { Year = 2001, Month = 8, Day = 19 },
                CitizenId = Sample.CitizenId(Gender.Female, new DateOnly(2001, 8, 19)),
                EthnicityCode = "01",
                ReligionCode = "00",
                TheoryLevel = V1.TheoryLevel.Elementary,
            },
        };
        request.Introducers.AddRange(introducers.Select(i => new V1.Introducer
        {
            FullName = i.FullName,
            MemberId = i.MemberId.ToString(),
            WorkedWithSince = i.WorkedWithSince.ToContract(),
        }));

        var member = await host.Run<AdmissionService, Member>(s => s.AdmitAsync(request.ToCommand(), CancellationToken.None));
        var message = member.ToContract();

        message.Status.Should().Be(V1.MemberStatus.Probationary);
        message.Profile.FullName.Should().Be("Phạm Thị Hồng");
        message.Profile.TheoryLevel.Should().Be(V1.TheoryLevel.Elementary);
        message.AdmissionCeremonyDate.Should().Be(request.CeremonyDate);
        message.Introducers.Select(i => i.MemberId).Should().Equal(request.Introducers.Select(i => i.MemberId));
        message.OfficialDate.Should().BeNull();
        message.Version.Should().Be(1);
    }

    [Fact]
    public void A_missing_date_or_a_malformed_id_is_the_fields_error()
    {
        ((Action)(() => new V1.RecognizeOfficialRequest { MemberId = Guid.NewGuid().ToString(), DecisionNumber = "1" }.ToCommand())).InvalidField("decision_date");
        ((Action)(() => new V1.RecognizeOfficialRequest { MemberId = "abc", DecisionDate = new V1.CalendarDate { Year = 2026, Month = 1, Day = 1 } }.ToCommand())).InvalidField("member_id");
        ((Action)(() => new V1.ConfirmTransferRequest { LetterId = Guid.NewGuid().ToString(), ReceivedOn = new V1.CalendarDate { Year = 2026, Month = 2, Day = 30 } }.ToCommand())).InvalidField("received_on");
        ((Action)(() => new V1.SearchMembersRequest { OrgUnitId = Guid.NewGuid().ToString(), Sort = "tuổi" }.ToSearch())).InvalidField("sort");
    }

    [Fact]
    public void Statistics_and_ledgers_keep_their_numbers_on_the_wire()
    {
        var stats = new MemberStatistics(2, new Dictionary<string, int> { ["Official"] = 2 }, new Dictionary<string, int> { ["Male"] = 1, ["Female"] = 1 },
            new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>(),
            new Dictionary<string, int>(), new Dictionary<string, int>()).ToContract();
        stats.ByGender.Select(c => (c.Key, c.Count)).Should().Equal(("Female", 1), ("Male", 1));

        var ledger = new DuesLedger(Guid.NewGuid(), 2026, [new DuesLine(202603, 80_000, 80_000, new DateOnly(2026, 3, 5), "1%", false)]).ToContract();
        ledger.Lines.Single().Should().Match<V1.DuesLine>(l => l.Year == 2026 && l.Month == 3 && l.Due == 80_000 && l.PaidOn.Day == 5);
    }
}
