using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Domain;

public sealed class MemberProfileTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly MemberProfile Valid = Sample.Profile("  Nguyễn   Văn An ", Gender.Male, new DateOnly(1980, 2, 1));

    [Fact]
    public void A_valid_profile_is_trimmed_and_kept()
    {
        var profile = (Valid with { Email = " an.nv@hanoi.dcs.vn ", FileNumber = " ", CardNumber = "01234567" }).Validated(Today);

        profile.FullName.Should().Be("Nguyễn Văn An");
        profile.Email.Should().Be("an.nv@hanoi.dcs.vn");
        profile.FileNumber.Should().BeNull();
        profile.CardNumber.Should().Be("01234567");
    }

    [Theory]
    [InlineData("full_name")]
    [InlineData("gender")]
    [InlineData("date_of_birth")]
    [InlineData("religion_code")]
    [InlineData("theory_level")]
    [InlineData("file_number")]
    [InlineData("card_number")]
    [InlineData("email")]
    [InlineData("phone")]
    [InlineData("workplace")]
    public void Each_invalid_field_is_named_with_a_Vietnamese_message(string field)
    {
        var bad = field switch
        {
            "full_name" => Valid with { FullName = "   " },
            "gender" => Valid with { Gender = (Gender)9 },
            "date_of_birth" => Valid with { DateOfBirth = Today.AddDays(1) },
            "religion_code" => Valid with { ReligionCode = "99" },
            "theory_level" => Valid with { TheoryLevel = (TheoryLevel)7 },
            "file_number" => Valid with { FileNumber = "số hồ sơ?" },
            "card_number" => Valid with { CardNumber = "12-34" },
            "email" => Valid with { Email = "không phải thư" },
            "phone" => Valid with { Phone = "gọi tôi" },
            _ => Valid with { Workplace = new string('x', 301) },
        };

        var error = ((Action)(() => bad.Validated(Today))).InvalidField(field);
        error.MessageVi.Should().NotBe(error.MessageEn);
    }
}
