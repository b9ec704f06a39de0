using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Application;

// The operations' inputs: one record per operation, mirrored by the dangvu.members.v1 requests.

internal sealed record RegisterMemberCommand(
    Guid OrgUnitId,
    MemberProfile Profile,
    MemberStatus Status,
    DateOnly AdmissionDate,
    string AdmissionDecision,
    DateOnly AdmissionCeremonyDate,
    DateOnly? OfficialDate = null,
    string? OfficialDecision = null);

internal sealed record AdmitMemberCommand(
    Guid OrgUnitId,
    MemberProfile Profile,
    string DecisionNumber,
    DateOnly DecisionDate,
    DateOnly CeremonyDate,
    IReadOnlyList<IntroducerInfo> Introducers,
    string? ProvincialApproval = null);

internal sealed record UpdateProfileCommand(Guid MemberId, long ExpectedVersion, MemberProfile Profile, string Reason);

internal sealed record RecognizeOfficialCommand(Guid MemberId, long ExpectedVersion, string DecisionNumber, DateOnly DecisionDate);

internal sealed record StartTransferCommand(
    Guid MemberId,
    long ExpectedVersion,
    TransferKind Kind,
    string LetterNumber,
    DateOnly DecisionDate,
    DateOnly LetterDate,
    Guid ToOrgUnitId,
    string Reason);

internal sealed record ConfirmTransferCommand(Guid LetterId, DateOnly ReceivedOn);

internal sealed record ExemptMemberCommand(Guid MemberId, long ExpectedVersion, ExemptionReason Reason, string DecisionNumber, DateOnly DecisionDate, string Note);

internal sealed record EndExemptionCommand(Guid MemberId, long ExpectedVersion, DateOnly DecisionDate, string Note);

internal sealed record RecordDisciplineCommand(Guid MemberId, DisciplineForm Form, string DecisionNumber, DateOnly DecisionDate, string IssuedBy, string Reason);

internal sealed record RecordLeavingCommand(Guid MemberId, long ExpectedVersion, LeaveReason Reason, string DecisionNumber, DateOnly Date, string Note);

internal sealed record AwardBadgeCommand(Guid MemberId, int Years, DateOnly BatchDate, string DecisionNumber);

internal sealed record SetDuesBasisCommand(Guid MemberId, int FromYear, int FromMonth, DuesBasisKind Kind, long Amount);

internal sealed record RecordHardshipReductionCommand(
    Guid MemberId, int Percent, int FromYear, int FromMonth, int ToYear, int ToMonth, string DecisionNumber, string Reason);

internal sealed record RecordDuesPaymentCommand(Guid MemberId, int Year, int Month, long Amount, DateOnly PaidOn);

internal enum MemberSort
{
    Name = 0,
    DateOfBirth = 1,
    AdmissionDate = 2,
}

internal sealed record MemberSearch
{
    /// <summary>The subtree to search; the caller needs members.read on it.</summary>
    public required Guid OrgUnitId { get; init; }

    /// <summary>A name (diacritics and case ignored, any part), or an exact CCCD, card or file number.</summary>
    public string? Text { get; init; }
    public IReadOnlyList<MemberStatus>? Statuses { get; init; }
    public Gender? Gender { get; init; }
    public int? AgeFrom { get; init; }
    public int? AgeTo { get; init; }
    public string? EthnicityCode { get; init; }
    public string? ReligionCode { get; init; }
    public TheoryLevel? TheoryLevel { get; init; }
    public string? GeneralEducation { get; init; }
    public int? PartyAgeFrom { get; init; }
    public int? PartyAgeTo { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
    public MemberSort Sort { get; init; }
    public bool Descending { get; init; }

    /// <summary>The day ages are computed on; today when null.</summary>
    public DateOnly? AsOf { get; init; }
}

// Results.

internal sealed record MemberSummary(
    Guid Id, string FullName, Gender Gender, DateOnly DateOfBirth, Guid OrgUnitId, MemberStatus Status, string CitizenId, string? CardNumber, DateOnly AdmissionDate)
{
    /// <summary>The node that keeps the file; another node's id marks a read-only replica brought by federation.</summary>
    public string OriginNode { get; init; } = "";

    public static MemberSummary Of(Member m) =>
        new(m.Id, m.FullName, m.Gender, m.DateOfBirth, m.OwnerOrgUnitId, m.Status, m.CitizenId, m.CardNumber, m.AdmissionDate) { OriginNode = m.OriginNode };
}

/// <summary>
/// A page of a search. <see cref="Total"/> is exact unless <see cref="MoreThanTotal"/>: counting
/// stops after <c>QueryService.CountCap</c> matches (or the end of the page asked for), and then
/// more than <see cref="Total"/> members match.
/// </summary>
internal sealed record SearchResult(int Total, IReadOnlyList<MemberSummary> Items, bool MoreThanTotal = false);

internal sealed record RecognitionDue(MemberSummary Member, DateOnly ProbationEnds, bool Complete, bool Overdue);

internal sealed record PendingTransfer(TransferLetterRecord Letter, string MemberFullName, bool Overdue);

internal sealed record BadgeCandidate(MemberSummary Member, int Years, DateOnly ReachedOn, bool Late);

internal sealed record DuesLine(int Period, long Due, long Paid, DateOnly? PaidOn, string Basis, bool Exempt);

internal sealed record DuesLedger(Guid MemberId, int Year, IReadOnlyList<DuesLine> Lines);

internal sealed record CollectionLine(MemberSummary Member, long Due, long Paid, string Basis, bool Exempt);

internal sealed record CollectionSheet(Guid OrgUnitId, int Period, IReadOnlyList<CollectionLine> Lines, long TotalDue, long TotalPaid, long Kept, long SentUp);

internal sealed record UnpaidDues(MemberSummary Member, IReadOnlyList<int> UnpaidPeriods);

internal sealed record MemberStatistics(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByGender,
    IReadOnlyDictionary<string, int> ByAgeBand,
    IReadOnlyDictionary<string, int> ByEthnicity,
    IReadOnlyDictionary<string, int> ByReligion,
    IReadOnlyDictionary<string, int> ByGeneralEducation,
    IReadOnlyDictionary<string, int> ByTheoryLevel,
    IReadOnlyDictionary<string, int> ByPartyAgeBand);
