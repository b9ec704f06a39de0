using DangVu.Core.Abstractions.Errors;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class RuleBookTests : IAsyncLifetime
{
    private MembersHost _host = null!;

    public async Task InitializeAsync() => _host = await MembersHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<RuleTimeline> Timeline() => _host.Run<RuleBook, RuleTimeline>(r => r.TimelineAsync(CancellationToken.None));

    private Task<RulePackInfo> Publish(Guid org, DateOnly from, RuleSet rules) =>
        _host.Run<RuleBook, RulePackInfo>(r => r.PublishAsync(org, from, "Quy định sửa đổi", "02-QĐ/TW", rules, CancellationToken.None));

    [Fact]
    public async Task An_empty_database_gets_the_2026_pack_once()
    {
        var first = await Timeline();
        var second = await Timeline();

        first.Packs.Should().ContainSingle().Which.Should().Match<RulePackInfo>(p => p.ValidFrom == new DateOnly(2026, 2, 3) && p.SourceDocument.Contains("01-QĐ/TW"));
        second.Packs.Single().Id.Should().Be(first.Packs.Single().Id);
    }

    [Fact]
    public async Task A_published_pack_takes_effect_from_its_date()
    {
        var seed = (await Timeline()).Packs[0].Rules;
        await Publish(TestOrganisation.Ward, new DateOnly(2027, 1, 1), seed with { DuesStudentAmount = 10_000 });

        var timeline = await Timeline();

        timeline.At(new DateOnly(2026, 12, 31)).DuesStudentAmount.Should().Be(5_000);
        timeline.At(new DateOnly(2027, 1, 1)).DuesStudentAmount.Should().Be(10_000);
    }

    [Fact]
    public async Task Two_packs_from_the_same_day_are_refused()
    {
        var seed = (await Timeline()).Packs[0];
        await ((Func<Task>)(() => Publish(TestOrganisation.Ward, seed.ValidFrom, seed.Rules))).RefusedBy("rules.valid-from-taken");
    }

    [Fact]
    public async Task Invalid_values_are_refused_with_the_field_named()
    {
        var seed = (await Timeline()).Packs[0].Rules;
        await ((Func<Task>)(() => Publish(TestOrganisation.Ward, new DateOnly(2027, 1, 1), seed with { HardshipPercents = [0] }))).InvalidField("rules.hardship_percents");
    }

    [Fact]
    public async Task Only_holders_of_members_rules_manage_on_the_organisation_may_publish()
    {
        var seed = (await Timeline()).Packs[0].Rules;
        _host.As(MembersHost.Reader);
        await ((Func<Task>)(() => Publish(TestOrganisation.CellA, new DateOnly(2027, 1, 1), seed))).Denied();
        _host.As(MembersHost.Secretary);
        await ((Func<Task>)(() => Publish(TestOrganisation.Ward, new DateOnly(2027, 1, 1), seed))).Denied();
    }

    [Fact]
    public async Task A_revision_based_on_a_stale_version_is_refused()
    {
        var seed = (await Timeline()).Packs[0];
        var revised = await _host.Run<RuleBook, RulePackInfo>(r => r.ReviseAsync(TestOrganisation.Ward, seed.Id, seed.Version, seed.Rules with { DuesKeptPercent = 35 }, CancellationToken.None));

        revised.Rules.DuesKeptPercent.Should().Be(35);
        await ((Func<Task>)(() => _host.Run<RuleBook, RulePackInfo>(r => r.ReviseAsync(TestOrganisation.Ward, seed.Id, seed.Version, seed.Rules, CancellationToken.None))))
            .Should().ThrowAsync<ConcurrencyConflictException>();
    }
}
