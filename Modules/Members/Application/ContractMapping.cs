using DangVu.Modules.Members.Domain;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Application;

/// <summary>Translations between the module's types and the dangvu.members.v1 messages.</summary>
internal static class ContractMapping
{
    public static V1.CalendarDate ToContract(this DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static DateOnly? ToDate(this V1.CalendarDate? date, string field) =>
        date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0)
            ? null
            : date.Year is >= 1 and <= 9999 && date.Month is >= 1 and <= 12 && date.Day >= 1 && date.Day <= DateTime.DaysInMonth(date.Year, date.Month)
                ? new DateOnly(date.Year, date.Month, date.Day)
                : throw Refuse.Field(field, "Ngày không hợp lệ.", "The date is invalid.");

    public static V1.TransferLetter ToContract(this TransferLetterRecord t, string memberFullName) => new()
    {
        Id = t.Id.ToString(),
        MemberId = t.MemberId.ToString(),
        Kind = (V1.TransferKind)(int)t.Kind,
        LetterNumber = t.LetterNumber,
        DecisionDate = t.DecisionDate.ToContract(),
        LetterDate = t.LetterDate.ToContract(),
        FromOrgUnitId = t.FromOrgUnitId.ToString(),
        ToOrgUnitId = t.ToOrgUnitId.ToString(),
        StartDeadline = t.StartDeadline.ToContract(),
        PresentDeadline = t.PresentDeadline.ToContract(),
        StartedLate = t.StartedLate,
        ReceivedOn = t.ReceivedOn?.ToContract(),
        ReceivedLate = t.ReceivedLate,
        MemberFullName = memberFullName,
        OriginNode = t.OriginNode,
    };
}
