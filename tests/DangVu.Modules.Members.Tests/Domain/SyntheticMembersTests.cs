using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Domain;

public sealed class SyntheticMembersTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void The_same_seed_gives_the_same_members()
    {
        var first = SyntheticMembers.Generate(200, seed: 7, Today, 3).ToList();
        var second = SyntheticMembers.Generate(200, seed: 7, Today, 3).ToList();
        var other = SyntheticMembers.Generate(200, seed: 8, Today, 3).ToList();

        second.Should().BeEquivalentTo(first, o => o.WithStrictOrdering());
        other.Select(m => m.Profile.FullName).Should().NotEqual(first.Select(m => m.Profile.FullName));
    }

    [Fact]
    public void Every_generated_file_is_valid_with_unique_numbers_and_Vietnamese_names()
    {
        var members = SyntheticMembers.Generate(20_000, seed: 1, Today, 5).ToList();

        members.Should().OnlyContain(m => m.Profile.Validated(Today) != null);
        members.Select(m => m.Profile.CitizenId).Should().OnlyHaveUniqueItems();
        members.Select(m => m.Profile.FileNumber).Should().OnlyHaveUniqueItems();
        members.Select(m => m.Profile.CardNumber).Should().OnlyHaveUniqueItems();
        members.Count(m => m.Profile.FullName.StartsWith("Nguyễn ", StringComparison.Ordinal)).Should().BeInRange(7_000, 9_000);
        members.Should().OnlyContain(m => m.AdmissionDate <= Today && m.CeremonyDate >= m.AdmissionDate && Dates.FullYears(m.Profile.DateOfBirth, m.AdmissionDate) >= 18);
        members.Should().Contain(m => m.Status == MemberStatus.Probationary).And.Contain(m => m.Status == MemberStatus.Official);
    }

    [Fact]
    public async Task Generated_members_can_be_registered_and_counted()
    {
        await using var host = await MembersHost.StartAsync();
        Guid[] cells = [TestOrganisation.CellA, TestOrganisation.CellB, TestOrganisation.CellC];
        var members = SyntheticMembers.Generate(40, seed: 3, Today, cells.Length).ToList();
        foreach (var m in members)
        {
            await host.Run<AdmissionService, Member>(s => s.RegisterAsync(
                new RegisterMemberCommand(cells[m.CellIndex], m.Profile, m.Status, m.AdmissionDate, "01-QĐ/ĐU", m.CeremonyDate, m.OfficialDate, m.OfficialDate is null ? null : "02-NQ/CB"),
                CancellationToken.None));
        }

        var stats = await host.Run<QueryService, MemberStatistics>(s => s.StatisticsAsync(TestOrganisation.Ward, Today, CancellationToken.None));

        stats.Total.Should().Be(40);
        stats.ByGender.Values.Sum().Should().Be(40);
        stats.ByAgeBand.Values.Sum().Should().Be(40);
    }
}
