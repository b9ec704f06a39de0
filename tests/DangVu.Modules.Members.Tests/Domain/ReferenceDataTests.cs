using DangVu.Core.Abstractions.Text;
using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Domain;

public sealed class ReferenceDataTests
{
    [Fact]
    public void The_ethnic_group_list_has_the_54_groups_coded_01_to_54_with_Kinh_first()
    {
        ReferenceData.EthnicGroups.Should().HaveCount(54);
        ReferenceData.EthnicGroups.Select(e => e.Code).Should().Equal(Enumerable.Range(1, 54).Select(i => i.ToString("D2")));
        ReferenceData.EthnicGroups[0].Name.Should().Be("Kinh");
        ReferenceData.EthnicGroups.Select(e => e.Name).Should().OnlyHaveUniqueItems().And.Contain(["Tày", "Thái", "Hoa", "Khơ-me", "Hmông", "Rơ-măm", "Ơ-đu"]);
    }

    [Fact]
    public void The_province_list_has_the_34_units_after_the_2025_merger_six_of_them_cities()
    {
        ReferenceData.Provinces.Should().HaveCount(34);
        ReferenceData.Provinces.Select(p => p.Code).Should().OnlyHaveUniqueItems();
        ReferenceData.Provinces.Count(p => p.Name.StartsWith("Thành phố", StringComparison.Ordinal)).Should().Be(6);
        ReferenceData.Provinces.Should().Contain(p => p.Name == "Thành phố Hồ Chí Minh" && p.Note.Contains("Bình Dương"));
        ReferenceData.Provinces.Should().NotContain(p => p.Name == "Hà Giang" || p.Name == "Bình Dương");
    }

    [Fact]
    public void The_religion_list_starts_with_none_and_has_unique_codes()
    {
        ReferenceData.Religions[0].Should().Be(new ReferenceItem("00", "Không"));
        ReferenceData.Religions.Select(r => r.Code).Should().OnlyHaveUniqueItems();
        ReferenceData.Religion("02")!.Name.Should().Be("Công giáo");
        ReferenceData.Religion("99").Should().BeNull();
    }

    [Fact]
    public void Political_theory_levels_match_the_enum()
    {
        ReferenceData.TheoryLevels.Select(l => l.Code).Should().Equal(Enum.GetValues<TheoryLevel>().Select(l => ((int)l).ToString()));
        ReferenceData.TheoryLevels.Select(l => l.Name).Should().Equal(Enum.GetValues<TheoryLevel>().Select(l => l.Vi()));
    }

    [Fact]
    public void Citizen_id_province_codes_are_the_63_birth_registration_provinces()
    {
        ReferenceData.CitizenIdProvinceCodes.Should().HaveCount(63).And.Contain(["001", "079", "096"]).And.NotContain("003");
    }
}

public sealed class SearchTextTests
{
    [Theory]
    [InlineData("Nguyễn Văn An", "nguyen van an")]
    [InlineData("  ĐẶNG   Thị  Ánh ", "dang thi anh")]
    [InlineData("Hoàng Thị Thu Hường", "hoang thi thu huong")]
    [InlineData("Y Điêng Mlô", "y dieng mlo")]
    [InlineData("", "")]
    public void Folding_removes_diacritics_case_and_extra_spaces(string text, string folded) =>
        VietnameseText.Fold(text).Should().Be(folded);

    [Theory]
    [InlineData("Nguye\u0302\u0303n Va\u0306n An", "nguyen van an")] // entered decomposed, marks as separate characters
    [InlineData("Phạm\tQuang\u00A0Huy", "pham quang huy")]
    [InlineData("Łukasz Ørsted", "łukasz ørsted")]
    [InlineData("Trần “Tư” – 陳", "tran “tu” – 陳")]
    [InlineData("nguyen van an", "nguyen van an")]
    public void Folding_treats_decomposed_marks_other_spaces_and_characters_outside_the_latin_range_by_the_same_rule(string text, string folded) =>
        VietnameseText.Fold(text).Should().Be(folded);

    [Fact]
    public void Folding_any_character_gives_what_decomposing_dropping_marks_and_lowering_gives()
    {
        var differ = new List<string>();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (char.IsSurrogate((char)c))
            {
                continue;
            }

            foreach (var text in new[] { "a" + (char)c + "b", "Ấ " + (char)c + (char)c + " ư" })
            {
                // Text that is not valid Unicode (U+FFFE, U+FFFF) is refused the same way by both.
                if (Refused(VietnameseText.Fold, text) != Refused(ReferenceFold, text))
                {
                    differ.Add($"U+{c:X4}");
                }
            }
        }

        differ.Should().BeEmpty();
    }

    [Fact]
    public void Folding_random_vietnamese_text_gives_what_decomposing_dropping_marks_and_lowering_gives()
    {
        const string alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠỲÝỸ \t\u00A0\u0300\u0301\u0303\u0309\u0323";
        var random = new Random(7);
        for (var n = 0; n < 20_000; n++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            VietnameseText.Fold(text).Should().Be(ReferenceFold(text), "the text was \"{0}\"", text);
        }
    }

    private static string Refused(Func<string, string> fold, string text)
    {
        try
        {
            return fold(text);
        }
        catch (ArgumentException)
        {
            return "(refused)";
        }
    }

    // The rule as written: canonical decomposition, combining marks dropped, đ → d, lower case, runs of white space as one space, trimmed.
    private static string ReferenceFold(string text)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        foreach (var c in text.Normalize(System.Text.NormalizationForm.FormD))
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }

                continue;
            }

            word.Append(c is 'đ' or 'Đ' ? 'd' : char.ToLowerInvariant(c));
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return string.Join(' ', words);
    }

    [Fact]
    public void The_sort_key_puts_the_given_name_first()
    {
        SearchText.SortKey("Nguyễn Văn Bình").Should().Be("binh nguyen van binh");
        string.CompareOrdinal(SearchText.SortKey("Trần Văn An"), SearchText.SortKey("Nguyễn Văn Bình")).Should().BeNegative();
    }
}

public sealed class CitizenIdTests
{
    private static readonly DateOnly Born1985 = new(1985, 4, 2);

    [Fact]
    public void A_number_matching_province_gender_and_year_is_accepted() =>
        CitizenIdRule.Validate(" 001085123456 ", Gender.Male, Born1985).Should().Be("001085123456");

    [Fact]
    public void A_woman_born_in_the_2000s_has_century_code_3() =>
        CitizenIdRule.Validate("079302000001", Gender.Female, new DateOnly(2002, 1, 1)).Should().Be("079302000001");

    [Theory]
    [InlineData("00108512345")]
    [InlineData("0010851234567")]
    [InlineData("00108512345A")]
    [InlineData("")]
    public void A_number_that_is_not_12_digits_is_refused(string value)
    {
        var error = ((Action)(() => CitizenIdRule.Validate(value, Gender.Male, Born1985))).InvalidField("citizen_id");
        error.MessageVi.Should().Contain("12 chữ số");
    }

    [Fact]
    public void An_unknown_province_code_is_refused() =>
        ((Action)(() => CitizenIdRule.Validate("003085123456", Gender.Male, Born1985))).InvalidField("citizen_id").MessageVi.Should().Contain("mã tỉnh");

    [Fact]
    public void A_number_for_another_year_of_birth_is_refused() =>
        ((Action)(() => CitizenIdRule.Validate("001086123456", Gender.Male, Born1985))).InvalidField("citizen_id").MessageVi.Should().Contain("năm sinh");

    [Fact]
    public void A_number_for_the_other_gender_is_refused() =>
        ((Action)(() => CitizenIdRule.Validate("001185123456", Gender.Male, Born1985))).InvalidField("citizen_id").MessageVi.Should().Contain("giới tính");
}

public sealed class DatesTests
{
    [Fact]
    public void Full_years_count_only_completed_years()
    {
        Dates.FullYears(new DateOnly(1996, 11, 24), new DateOnly(2026, 11, 23)).Should().Be(29);
        Dates.FullYears(new DateOnly(1996, 11, 23), new DateOnly(2026, 11, 23)).Should().Be(30);
    }

    [Fact]
    public void The_latest_date_reaching_n_full_years_is_exact_around_29_February()
    {
        foreach (var on in new[] { new DateOnly(2026, 2, 28), new DateOnly(2027, 2, 28), new DateOnly(2028, 2, 29), new DateOnly(2028, 3, 1), new DateOnly(2026, 11, 23) })
        {
            for (var years = 1; years <= 80; years++)
            {
                var latest = Dates.LatestReaching(years, on);
                Dates.FullYears(latest, on).Should().BeGreaterThanOrEqualTo(years);
                Dates.FullYears(latest.AddDays(1), on).Should().BeLessThan(years, $"{latest.AddDays(1)} has not reached {years} years on {on}");
            }
        }

        Dates.LatestReaching(31, new DateOnly(2027, 2, 28)).Should().Be(new DateOnly(1996, 2, 29));
    }
}
