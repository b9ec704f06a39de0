using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Web;

/// <summary>Reads the member-file fields of <see cref="ProfileFields"/> (named as the services name them in refusals).</summary>
internal static class ProfileForm
{
    public static MemberProfile Read(Func<string, string> value, Func<string, DateOnly> date) => new()
    {
        FullName = value("full_name"),
        OtherNames = value("other_names"),
        Gender = Enum.TryParse<Gender>(value("gender"), out var gender) ? gender : 0,
        DateOfBirth = date("date_of_birth"),
        PlaceOfBirth = value("place_of_birth"),
        Hometown = value("hometown"),
        EthnicityCode = value("ethnicity_code"),
        ReligionCode = value("religion_code"),
        CitizenId = value("citizen_id"),
        FileNumber = value("file_number"),
        CardNumber = value("card_number"),
        GeneralEducation = value("general_education"),
        ProfessionalQualification = value("professional_qualification"),
        TheoryLevel = Enum.TryParse<TheoryLevel>(value("theory_level"), out var theory) ? theory : (TheoryLevel)(-1),
        Occupation = value("occupation"),
        JobTitle = value("job_title"),
        Workplace = value("workplace"),
        Phone = value("phone"),
        Email = value("email"),
        Address = value("address"),
    };
}
