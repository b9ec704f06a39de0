using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class DuesTests : IAsyncLifetime
{
    private MembersHost _host = null!;
    private Member _salaried = null!;

    public async Task InitializeAsync()
    {
        _host = await MembersHost.StartAsync();
        _salaried = await _host.RegisterOfficialAsync("Vũ Văn Lương", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
        await Basis(_salaried, DuesBasisKind.InsuranceSalary, 8_000_000);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<DuesBasisRecord> Basis(Member member, DuesBasisKind kind, long amount, int fromMonth = 1) =>
        _host.Run<DuesService, DuesBasisRecord>(s => s.SetBasisAsync(new SetDuesBasisCommand(member.Id, 2026, fromMonth, kind, amount), CancellationToken.None));

    private Task<DuesLedger> Pay(Member member, int month, long amount) =>
        _host.Run<DuesService, DuesLedger>(s => s.PayAsync(new RecordDuesPaymentCommand(member.Id, 2026, month, amount, new DateOnly(2026, 11, 20)), CancellationToken.None));

    private Task<DuesLedger> Ledger(Member member) =>
        _host.Run<DuesService, DuesLedger>(s => s.LedgerAsync(member.Id, 2026, CancellationToken.None));

    private Task<HardshipReduction> Reduce(int percent, int from, int to, int toYear = 2026) =>
        _host.Run<DuesService, HardshipReduction>(s => s.RecordHardshipReductionAsync(
            new RecordHardshipReductionCommand(_salaried.Id, percent, 2026, from, toYear, to, "04-QĐ/CB", "gia đình khó khăn"), CancellationToken.None));

    [Fact]
    public async Task The_ledger_shows_one_percent_of_the_insurance_salary_each_month_and_the_payments()
    {
        var ledger = await Pay(_salaried, 1, 80_000);

        ledger.Lines.Should().HaveCount(12).And.OnlyContain(l => l.Due == 80_000);
        ledger.Lines[0].Should().Match<DuesLine>(l => l.Period == 202601 && l.Paid == 80_000 && l.PaidOn == new DateOnly(2026, 11, 20));
        ledger.Lines[1].Paid.Should().Be(0);
    }

    [Fact]
    public async Task Paying_less_than_due_or_the_same_month_twice_is_refused()
    {
        await Pay(_salaried, 1, 100_000);
        (await ((Func<Task>)(() => Pay(_salaried, 2, 50_000))).RefusedBy("dues.amount-below-due")).MessageVi.Should().Contain("80,000");
        await ((Func<Task>)(() => Pay(_salaried, 1, 80_000))).RefusedBy("dues.already-paid");
        await ((Func<Task>)(() => Pay(_salaried, 13, 80_000))).InvalidField("month");
    }

    [Fact]
    public async Task A_member_with_50_years_of_Party_age_owes_nothing()
    {
        var veteran = await _host.RegisterOfficialAsync("Trần Văn Lão Thành", TestOrganisation.CellA, new DateOnly(1970, 1, 5));
        await Basis(veteran, DuesBasisKind.Pension, 9_000_000);

        (await Ledger(veteran)).Lines.Should().OnlyContain(l => l.Exempt && l.Due == 0);
        await ((Func<Task>)(() => Pay(veteran, 3, 45_000))).RefusedBy("dues.exempt");
    }

    [Fact]
    public async Task A_hardship_reduction_applies_only_to_its_months()
    {
        await Reduce(50, 6, 8);

        var lines = (await Ledger(_salaried)).Lines;
        lines.Single(l => l.Period == 202605).Due.Should().Be(80_000);
        lines.Where(l => l.Period is >= 202606 and <= 202608).Should().OnlyContain(l => l.Due == 40_000 && l.Basis.Contains("giảm 50%"));
        lines.Single(l => l.Period == 202609).Due.Should().Be(80_000);
    }

    [Fact]
    public async Task Hardship_reductions_follow_the_rules_percentages_length_and_do_not_overlap()
    {
        await ((Func<Task>)(() => Reduce(40, 1, 3))).InvalidField("percent");
        await ((Func<Task>)(() => Reduce(30, 1, 1))).Should().NotThrowAsync();
        await ((Func<Task>)(() => Reduce(50, 2, 2, 2027))).RefusedBy("dues.hardship-too-long");
        await ((Func<Task>)(() => Reduce(70, 1, 4))).RefusedBy("dues.hardship-overlap");
    }

    [Fact]
    public async Task Each_month_is_computed_with_the_rules_in_force_that_month()
    {
        var seed = (await _host.Run<RuleBook, RuleTimeline>(r => r.TimelineAsync(CancellationToken.None))).Packs[0].Rules;
        await _host.Run<RuleBook, RulePackInfo>(r => r.PublishAsync(
            TestOrganisation.Ward, new DateOnly(2026, 7, 1), "Sửa đổi thử", "thử nghiệm", seed with { DuesSalaryPerMille = 20 }, CancellationToken.None));

        var lines = (await Ledger(_salaried)).Lines;

        lines.Single(l => l.Period == 202606).Due.Should().Be(80_000);
        lines.Single(l => l.Period == 202607).Due.Should().Be(160_000);
    }

    [Fact]
    public async Task The_collection_sheet_totals_the_chi_bo_and_splits_what_was_collected()
    {
        var student = await _host.RegisterOfficialAsync("Lê Thị Sinh Viên", TestOrganisation.CellA, new DateOnly(2024, 1, 5), Gender.Female, new DateOnly(2003, 1, 1));
        await Basis(student, DuesBasisKind.Student, 0);
        await Pay(_salaried, 10, 80_000);

        var sheet = await _host.Run<DuesService, CollectionSheet>(s => s.CollectionSheetAsync(TestOrganisation.CellA, 2026, 10, CancellationToken.None));

        sheet.Lines.Select(l => (l.Member.FullName, l.Due, l.Paid)).Should().BeEquivalentTo(new[]
        {
            ("Vũ Văn Lương", 80_000L, 80_000L),
            ("Lê Thị Sinh Viên", 5_000L, 0L),
        });
        (sheet.TotalDue, sheet.TotalPaid, sheet.Kept, sheet.SentUp).Should().Be((85_000L, 80_000L, 24_000L, 56_000L));
    }

    [Fact]
    public async Task Members_with_three_unpaid_months_in_the_year_are_flagged()
    {
        var other = await _host.RegisterOfficialAsync("Đỗ Thị Đủ", TestOrganisation.CellA, new DateOnly(2012, 1, 5), Gender.Female);
        await Basis(other, DuesBasisKind.InsuranceSalary, 6_000_000);
        foreach (var month in new[] { 1, 2, 3, 4, 5, 6, 7, 8 })
        {
            await Pay(other, month, 60_000);
        }

        foreach (var month in new[] { 1, 2, 3, 4, 5, 6, 7 })
        {
            await Pay(_salaried, month, 80_000);
        }

        var flagged = await _host.Run<DuesService, IReadOnlyList<UnpaidDues>>(s => s.UnpaidAsync(TestOrganisation.CellA, 2026, MembersHost.Today, CancellationToken.None));

        flagged.Should().ContainSingle().Which.Should().Match<UnpaidDues>(u =>
            u.Member.Id == _salaried.Id && u.UnpaidPeriods.SequenceEqual(new[] { 202608, 202609, 202610 }));
    }

    [Fact]
    public async Task Dues_of_chi_bo_A_are_not_for_chi_bo_B_or_a_reader()
    {
        _host.As(MembersHost.SecretaryB);
        await ((Func<Task>)(() => Pay(_salaried, 1, 80_000))).Denied();
        _host.As(MembersHost.Reader);
        await ((Func<Task>)(() => Ledger(_salaried))).Denied();
    }
}
