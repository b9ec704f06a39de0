namespace DangVu.Modules.Members.Domain;

/// <summary>
/// Số căn cước công dân: 12 digits — province of birth registration (3), gender and century
/// (1: 0/1 = male/female born 1900–1999, 2/3 = 2000–2099, 4/5 = 2100–2199, …), the last two digits
/// of the year of birth (2), then a random number (6).
/// </summary>
internal static class CitizenIdRule
{
    /// <summary>Checks a number against the holder's gender and date of birth; throws the field error.</summary>
    public static string Validate(string? value, Gender gender, DateOnly dateOfBirth, string field = "citizen_id")
    {
        var id = (value ?? "").Trim();
        if (id.Length != 12 || id.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            throw Refuse.Field(field, "Số CCCD phải gồm đúng 12 chữ số.", "A citizen ID (CCCD) has exactly 12 digits.");
        }

        if (!ReferenceData.CitizenIdProvinceCodes.Contains(id[..3]))
        {
            throw Refuse.Field(field, $"Số CCCD có mã tỉnh \"{id[..3]}\" không tồn tại.", $"The citizen ID's province code {id[..3]} does not exist.");
        }

        var code = id[3] - '0';
        var century = 19 + code / 2;
        var female = code % 2 == 1;
        if (century != dateOfBirth.Year / 100 || (id[4] - '0') * 10 + (id[5] - '0') != dateOfBirth.Year % 100)
        {
            throw Refuse.Field(field, "Số CCCD không khớp với năm sinh.", "The citizen ID does not match the year of birth.");
        }

        if (female != (gender == Gender.Female))
        {
            throw Refuse.Field(field, "Số CCCD không khớp với giới tính.", "The citizen ID does not match the gender.");
        }

        return id;
    }
}
