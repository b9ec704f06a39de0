using System.Buffers;
using System.Net.Mail;
using DangVu.Core.Abstractions.Text;

namespace DangVu.Modules.Members.Domain;

/// <summary>The editable fields of the member file, as entered.</summary>
internal sealed record MemberProfile
{
    public required string FullName { get; init; }
    public string OtherNames { get; init; } = "";
    public required Gender Gender { get; init; }
    public required DateOnly DateOfBirth { get; init; }
    public string PlaceOfBirth { get; init; } = "";
    public string Hometown { get; init; } = "";
    public string EthnicityCode { get; init; } = "01";
    public string ReligionCode { get; init; } = "00";
    public required string CitizenId { get; init; }
    public string? FileNumber { get; init; }
    public string? CardNumber { get; init; }
    public string GeneralEducation { get; init; } = "";
    public string ProfessionalQualification { get; init; } = "";
    public TheoryLevel TheoryLevel { get; init; }
    public string Occupation { get; init; } = "";
    public string JobTitle { get; init; } = "";
    public string Workplace { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Email { get; init; } = "";
    public string Address { get; init; } = "";

    /// <summary>Checks every field; returns the profile with trimmed values or throws the first field's error.</summary>
    public MemberProfile Validated(DateOnly today)
    {
        var name = SingleSpaced(FullName ?? "");
        if (name.Length is 0 or > 100)
        {
            throw Refuse.Field("full_name", "Họ và tên không được để trống và không quá 100 ký tự.", "The full name is required, at most 100 characters.");
        }

        if (!Enum.IsDefined(Gender))
        {
            throw Refuse.Field("gender", "Giới tính không hợp lệ.", "The gender is invalid.");
        }

        if (DateOfBirth > today || DateOfBirth.Year < 1900)
        {
            throw Refuse.Field("date_of_birth", "Ngày sinh không hợp lệ.", "The date of birth is invalid.");
        }

        if (ReferenceData.Ethnicity(EthnicityCode ?? "") is null)
        {
            throw Refuse.Field("ethnicity_code", $"Mã dân tộc \"{EthnicityCode}\" không có trong danh mục 54 dân tộc.", $"Ethnicity code {EthnicityCode} is not one of the 54 ethnic groups.");
        }

        if (ReferenceData.Religion(ReligionCode ?? "") is null)
        {
            throw Refuse.Field("religion_code", $"Mã tôn giáo \"{ReligionCode}\" không có trong danh mục.", $"Religion code {ReligionCode} is not in the list.");
        }

        if (!Enum.IsDefined(TheoryLevel))
        {
            throw Refuse.Field("theory_level", "Trình độ lý luận chính trị không hợp lệ.", "The political theory level is invalid.");
        }

        var file = Blank(FileNumber);
        if (file is not null && (file.Length > 20 || file.AsSpan().ContainsAnyExcept(FileNumberCharacters)))
        {
            throw Refuse.Field("file_number", "Số lý lịch đảng viên chỉ gồm chữ, số và - / . (tối đa 20 ký tự).", "The member file number has letters, digits and - / . only (at most 20).");
        }

        var card = Blank(CardNumber);
        if (card is not null && (card.Length > 20 || card.AsSpan().ContainsAnyExcept(CardNumberCharacters)))
        {
            throw Refuse.Field("card_number", "Số thẻ đảng viên chỉ gồm chữ và số (tối đa 20 ký tự).", "The Party card number has letters and digits only (at most 20).");
        }

        var email = (Email ?? "").Trim();
        if (email.Length > 0 && (email.Length > 200 || !MailAddress.TryCreate(email, out _)))
        {
            throw Refuse.Field("email", "Địa chỉ thư điện tử không hợp lệ.", "The e-mail address is invalid.");
        }

        var phone = (Phone ?? "").Trim();
        if (phone.Length > 20 || phone.AsSpan().ContainsAnyExcept(PhoneCharacters))
        {
            throw Refuse.Field("phone", "Số điện thoại không hợp lệ.", "The phone number is invalid.");
        }

        return this with
        {
            FullName = name,
            CitizenId = CitizenIdRule.Validate(CitizenId, Gender, DateOfBirth),
            FileNumber = file,
            CardNumber = card,
            Email = email,
            Phone = phone,
            OtherNames = Limit(OtherNames, 200, "other_names"),
            PlaceOfBirth = Limit(PlaceOfBirth, 200, "place_of_birth"),
            Hometown = Limit(Hometown, 200, "hometown"),
            GeneralEducation = Limit(GeneralEducation, 50, "general_education"),
            ProfessionalQualification = Limit(ProfessionalQualification, 200, "professional_qualification"),
            Occupation = Limit(Occupation, 200, "occupation"),
            JobTitle = Limit(JobTitle, 200, "job_title"),
            Workplace = Limit(Workplace, 300, "workplace"),
            Address = Limit(Address, 300, "address"),
        };
    }

    /// <summary>Copies the profile onto the record; returns the fields that changed (name → [old, new]).</summary>
    public Dictionary<string, string?[]> ApplyTo(Member m)
    {
        var changes = new Dictionary<string, string?[]>();
        void Compare<T>(string field, T current, T value)
        {
            if (!EqualityComparer<T>.Default.Equals(current, value))
            {
                changes[field] = [current?.ToString(), value?.ToString()];
            }
        }

        Compare("full_name", m.FullName, FullName);
        Compare("other_names", m.OtherNames, OtherNames);
        Compare("gender", m.Gender, Gender);
        Compare("date_of_birth", m.DateOfBirth, DateOfBirth);
        Compare("place_of_birth", m.PlaceOfBirth, PlaceOfBirth);
        Compare("hometown", m.Hometown, Hometown);
        Compare("ethnicity_code", m.EthnicityCode, EthnicityCode);
        Compare("religion_code", m.ReligionCode, ReligionCode);
        Compare("citizen_id", m.CitizenId, CitizenId);
        Compare("file_number", m.FileNumber, FileNumber);
        Compare("card_number", m.CardNumber, CardNumber);
        Compare("general_education", m.GeneralEducation, GeneralEducation);
        Compare("professional_qualification", m.ProfessionalQualification, ProfessionalQualification);
        Compare("theory_level", m.TheoryLevel, TheoryLevel);
        Compare("occupation", m.Occupation, Occupation);
        Compare("job_title", m.JobTitle, JobTitle);
        Compare("workplace", m.Workplace, Workplace);
        Compare("phone", m.Phone, Phone);
        Compare("email", m.Email, Email);
        Compare("address", m.Address, Address);
        WriteTo(m);
        return changes;
    }

    /// <summary>Sets the profile's fields of <paramref name="m"/> and its name keys, listing nothing (a new member of an import).</summary>
    public void WriteTo(Member m)
    {
        m.FullName = FullName;
        m.OtherNames = OtherNames;
        m.Gender = Gender;
        m.DateOfBirth = DateOfBirth;
        m.PlaceOfBirth = PlaceOfBirth;
        m.Hometown = Hometown;
        m.EthnicityCode = EthnicityCode;
        m.ReligionCode = ReligionCode;
        m.CitizenId = CitizenId;
        m.FileNumber = FileNumber;
        m.CardNumber = CardNumber;
        m.GeneralEducation = GeneralEducation;
        m.ProfessionalQualification = ProfessionalQualification;
        m.TheoryLevel = TheoryLevel;
        m.Occupation = Occupation;
        m.JobTitle = JobTitle;
        m.Workplace = Workplace;
        m.Phone = Phone;
        m.Email = Email;
        m.Address = Address;
        m.SearchName = VietnameseText.Fold(m.FullName + (m.OtherNames.Length > 0 ? " " + m.OtherNames : ""));
        m.SortName = SearchText.SortKey(m.FullName);
    }

    private const string AsciiLettersAndDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly SearchValues<char> FileNumberCharacters = SearchValues.Create(AsciiLettersAndDigits + "-/.");
    private static readonly SearchValues<char> CardNumberCharacters = SearchValues.Create(AsciiLettersAndDigits);
    private static readonly SearchValues<char> PhoneCharacters = SearchValues.Create("0123456789+ .-");

    // The words of a name separated by single spaces; a name entered so (nearly all) is kept as it is.
    private static string SingleSpaced(string name) =>
        name.Length == 0 || (name[0] != ' ' && name[^1] != ' ' && !name.Contains("  ", StringComparison.Ordinal))
            ? name
            : string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Limit(string? value, int max, string field)
    {
        var text = (value ?? "").Trim();
        return text.Length <= max
            ? text
            : throw Refuse.Field(field, $"Trường này tối đa {max} ký tự.", $"This field takes at most {max} characters.");
    }
}
