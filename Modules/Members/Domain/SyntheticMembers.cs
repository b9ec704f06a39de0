namespace DangVu.Modules.Members.Domain;

/// <summary>A generated member file, with the organisation it goes to as an index into the caller's list.</summary>
internal sealed record SyntheticMember(
    MemberProfile Profile, MemberStatus Status, DateOnly AdmissionDate, DateOnly CeremonyDate, DateOnly? OfficialDate, int CellIndex);

/// <summary>
/// A deterministic generator of realistic Vietnamese member files for tests and benchmarks: the
/// same seed gives the same members. Names follow the common surname frequencies; every
/// profile passes validation; citizen ID, file and card numbers are unique for up to a million
/// members per run.
/// </summary>
internal static class SyntheticMembers
{
    private static readonly (string Name, int Weight)[] Surnames =
    [
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 51), ("Huỳnh", 20), ("Phan", 45), ("Vũ", 39),
        ("Võ", 20), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 5), ("Trịnh", 5),
    ];

    private static readonly string[] MaleMiddle = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Mạnh", "Tiến"];
    private static readonly string[] FemaleMiddle = ["Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Minh", "Kim", "Thùy", "Phương", "Bích"];

    private static readonly string[] MaleGiven =
    [
        "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Phong",
        "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Vinh", "Hiếu", "Trung", "Thành", "Tâm",
    ];

    private static readonly string[] FemaleGiven =
    [
        "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Nhung", "Phương",
        "Quỳnh", "Thảo", "Trang", "Uyên", "Vân", "Yến", "Huyền", "Thủy", "Loan", "Hằng",
    ];

    private static readonly string[] Occupations =
        ["Giáo viên", "Công chức", "Viên chức", "Công nhân", "Nông dân", "Bộ đội", "Công an", "Bác sĩ", "Kỹ sư", "Hưu trí", "Sinh viên", "Kinh doanh"];

    private static readonly string[] Educations = ["12/12", "12/12", "12/12", "12/12", "10/10", "9/12", "7/10"];

    private static readonly int SurnameTotal = Surnames.Sum(s => s.Weight);

    public static IEnumerable<SyntheticMember> Generate(int count, int seed, DateOnly today, int cellCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1_000_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(cellCount, 1);
        var random = new Random(seed);
        var provinces = ReferenceData.CitizenIdProvinceCodes.Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < count; i++)
        {
            var gender = random.Next(100) < 60 ? Gender.Male : Gender.Female;
            var name = $"{Surname(random)} {Pick(random, gender == Gender.Male ? MaleMiddle : FemaleMiddle)} {Pick(random, gender == Gender.Male ? MaleGiven : FemaleGiven)}";
            var age = 20 + random.Next(66);
            var born = today.AddYears(-age).AddDays(-random.Next(365));
            var admittedAge = 18 + random.Next(Math.Min(age, 60) - 18 + 1);
            var admitted = Min(born.AddYears(admittedAge).AddDays(random.Next(300)), today.AddDays(-30));
            var ceremony = Min(admitted.AddDays(5 + random.Next(25)), today);
            var officialFrom = ceremony.AddMonths(12);
            var official = officialFrom <= today;
            var province = provinces[random.Next(provinces.Length)];
            var code = (born.Year / 100 - 19) * 2 + (gender == Gender.Female ? 1 : 0);
            var profile = new MemberProfile
            {
                FullName = name,
                Gender = gender,
                DateOfBirth = born,
                PlaceOfBirth = ReferenceData.Provinces[random.Next(ReferenceData.Provinces.Count)].Name,
                Hometown = ReferenceData.Provinces[random.Next(ReferenceData.Provinces.Count)].Name,
                EthnicityCode = random.Next(100) < 86 ? "01" : ReferenceData.EthnicGroups[1 + random.Next(ReferenceData.EthnicGroups.Count - 1)].Code,
                ReligionCode = random.Next(100) < 92 ? "00" : ReferenceData.Religions[1 + random.Next(5)].Code,
                CitizenId = $"{province}{code}{born.Year % 100:D2}{i:D6}",
                FileNumber = $"{i:D6}-{province}",
                CardNumber = (10_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                GeneralEducation = Pick(random, Educations),
                TheoryLevel = (TheoryLevel)Math.Min(4, random.Next(6)),
                Occupation = age >= 62 ? "Hưu trí" : Pick(random, Occupations),
                Workplace = "",
                Phone = $"09{random.Next(100_000_000):D8}",
            };
            yield return new SyntheticMember(
                profile, official ? MemberStatus.Official : MemberStatus.Probationary, admitted, ceremony, official ? officialFrom : null, random.Next(cellCount));
        }
    }

    /// <summary>The member file the generated one describes, in the chi bộ <paramref name="cellId"/> (not saved).</summary>
    public static Member ToMember(SyntheticMember generated, Guid cellId)
    {
        var member = new Member { OwnerOrgUnitId = cellId };
        generated.Profile.ApplyTo(member);
        member.Status = generated.Status;
        member.AdmissionDate = generated.AdmissionDate;
        member.AdmissionDecision = "01-QĐ/ĐU";
        member.AdmissionCeremonyDate = generated.CeremonyDate;
        member.OfficialDate = generated.OfficialDate;
        member.OfficialDecision = generated.OfficialDate is null ? null : "02-NQ/CB";
        return member;
    }

    private static string Surname(Random random)
    {
        var roll = random.Next(SurnameTotal);
        foreach (var (name, weight) in Surnames)
        {
            if (roll < weight)
            {
                return name;
            }

            roll -= weight;
        }

        return Surnames[0].Name;
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
