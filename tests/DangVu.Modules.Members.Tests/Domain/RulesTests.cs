using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Domain;

public sealed class RulesTests
{
    private static readonly RuleSet Rules2026 = RuleSet.FromJson(
        System.Text.Json.JsonDocument.Parse(ReferenceData.ReadText("rules-2026.json")).RootElement.GetProperty("rules").GetRawText()).Validate();

    [Fact]
    public void The_seed_pack_carries_the_2026_numbers()
    {
        Rules2026.ProbationMonths.Should().Be(12);
        Rules2026.TransferStartWorkingDays.Should().Be(60);
        Rules2026.TransferPresentDays.Should().Be(30);
        Rules2026.BadgeYears.Should().Equal(30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90);
        Rules2026.BatchDates(2026).Should().Equal(new DateOnly(2026, 2, 3), new DateOnly(2026, 5, 19), new DateOnly(2026, 9, 2), new DateOnly(2026, 11, 7));
        Rules2026.DuesSalaryPerMille.Should().Be(10);
        Rules2026.DuesPensionPerMille.Should().Be(5);
        Rules2026.DuesStudentAmount.Should().Be(5000);
        Rules2026.UnpaidMonthsThreshold.Should().Be(3);
        Rules2026.DuesKeptPercent.Should().Be(30);
    }

    [Fact]
    public void The_rules_at_a_date_are_those_of_the_latest_pack_valid_by_then()
    {
        var later = Rules2026 with { ProbationMonths = 18 };
        var timeline = new RuleTimeline([
            new RulePackInfo(Guid.NewGuid(), new DateOnly(2026, 2, 3), "2026", "", Rules2026, 1),
            new RulePackInfo(Guid.NewGuid(), new DateOnly(2028, 1, 1), "2028", "", later, 1),
        ]);

        timeline.At(new DateOnly(2027, 12, 31)).ProbationMonths.Should().Be(12);
        timeline.At(new DateOnly(2028, 1, 1)).ProbationMonths.Should().Be(18);
        timeline.At(new DateOnly(1990, 1, 1)).Should().BeSameAs(Rules2026, "before the first pack the first pack applies");
        timeline.AtPeriod(202712).ProbationMonths.Should().Be(12);
    }

    [Fact]
    public void A_rule_set_survives_its_json_form() =>
        RuleSet.FromJson(Rules2026.ToJson()).Should().BeEquivalentTo(Rules2026);

    [Fact]
    public void Malformed_or_unknown_rule_json_is_the_fields_error()
    {
        ((Action)(() => RuleSet.FromJson("{\"probationMonths\": \"twelve\"}"))).InvalidField("rules_json");
        ((Action)(() => RuleSet.FromJson("{\"probationMonth\": 12}"))).InvalidField("rules_json");
    }

    [Theory]
    [InlineData("probation_months")]
    [InlineData("badge_years")]
    [InlineData("badge_batches")]
    [InlineData("dues_kept_percent")]
    public void Values_out_of_range_are_refused(string field)
    {
        var bad = field switch
        {
            "probation_months" => Rules2026 with { ProbationMonths = 0 },
            "badge_years" => Rules2026 with { BadgeYears = [40, 30] },
            "badge_batches" => Rules2026 with { BadgeBatches = ["02-30"] },
            _ => Rules2026 with { DuesKeptPercent = 130 },
        };

        ((Action)(() => bad.Validate())).InvalidField("rules." + field);
    }
}

public sealed class DuesCalculatorTests
{
    private static readonly RuleSet Rules = new();

    [Fact]
    public void Salaried_members_pay_one_percent_of_the_insurance_salary() =>
        DuesCalculator.Compute(Rules, DuesBasisKind.InsuranceSalary, 8_123_450, 10, null).Should().Be(
            new DuesAmount(81_235, false, "1% tiền lương đóng BHXH 8,123,450đ"));

    [Fact]
    public void Retirees_pay_half_a_percent_of_the_pension() =>
        DuesCalculator.Compute(Rules, DuesBasisKind.Pension, 6_000_000, 40, null).Due.Should().Be(30_000);

    [Fact]
    public void Students_pay_the_flat_amount() =>
        DuesCalculator.Compute(Rules, DuesBasisKind.Student, 0, 1, null).Due.Should().Be(5_000);

    [Fact]
    public void Fifty_years_of_Party_age_exempt_from_dues()
    {
        var amount = DuesCalculator.Compute(Rules, DuesBasisKind.Pension, 6_000_000, 50, null);
        amount.Exempt.Should().BeTrue();
        amount.Due.Should().Be(0);
        DuesCalculator.Compute(Rules, DuesBasisKind.Pension, 6_000_000, 49, null).Exempt.Should().BeFalse();
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Exempt_categories_owe_nothing(int kind) =>
        DuesCalculator.Compute(Rules, (DuesBasisKind)kind, 0, 5, null).Should().Match<DuesAmount>(a => a.Exempt && a.Due == 0);

    [Fact]
    public void A_hardship_reduction_lowers_the_amount_and_100_percent_exempts()
    {
        DuesCalculator.Compute(Rules, DuesBasisKind.InsuranceSalary, 10_000_000, 5, 70).Due.Should().Be(30_000);
        DuesCalculator.Compute(Rules, DuesBasisKind.InsuranceSalary, 10_000_000, 5, 100).Exempt.Should().BeTrue();
    }

    [Fact]
    public void Collected_dues_split_30_percent_kept_70_sent_up() =>
        DuesCalculator.Split(Rules, 1_000_000).Should().Be((300_000L, 700_000L));
}
