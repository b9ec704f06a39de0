using DangVu.Core.Abstractions.Storage;

namespace DangVu.Modules.Members.Domain;

/// <summary>A Party member's file (lý lịch đảng viên). Owned by the chi bộ the member belongs to.</summary>
[RecordType("members.member")]
internal sealed class Member : ReplicatedRecord
{
    public string FullName { get; set; } = "";
    public string OtherNames { get; set; } = "";

    /// <summary>The name folded for search (no diacritics, lower case).</summary>
    public string SearchName { get; set; } = "";

    /// <summary>Given name first, folded: the Vietnamese list order.</summary>
    public string SortName { get; set; } = "";

    public Gender Gender { get; set; }
    public DateOnly DateOfBirth { get; set; }
    public string PlaceOfBirth { get; set; } = "";
    public string Hometown { get; set; } = "";
    public string EthnicityCode { get; set; } = "01";
    public string ReligionCode { get; set; } = "00";
    public string CitizenId { get; set; } = "";
    public string? FileNumber { get; set; }
    public string? CardNumber { get; set; }
    public string GeneralEducation { get; set; } = "";
    public string ProfessionalQualification { get; set; } = "";
    public TheoryLevel TheoryLevel { get; set; }
    public string Occupation { get; set; } = "";
    public string JobTitle { get; set; } = "";
    public string Workplace { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Email { get; set; } = "";
    public string Address { get; set; } = "";

    public MemberStatus Status { get; set; }

    /// <summary>The status to return to when an exemption ends or a transfer is received.</summary>
    public MemberStatus? PreviousStatus { get; set; }

    public LeaveReason? LeaveReason { get; set; }
    public DateOnly? LeftOn { get; set; }

    /// <summary>Date of the admission decision; Party age counts from it.</summary>
    public DateOnly AdmissionDate { get; set; }
    public string AdmissionDecision { get; set; } = "";

    /// <summary>Lễ kết nạp; the probation counts from it.</summary>
    public DateOnly AdmissionCeremonyDate { get; set; }
    public DateOnly? OfficialDate { get; set; }
    public string? OfficialDecision { get; set; }

    /// <summary>The introducers, as JSON (<see cref="IntroducerInfo"/>[]).</summary>
    public string Introducers { get; set; } = "[]";

    /// <summary>Where a member on temporary transfer takes part in activities.</summary>
    public Guid? TemporaryOrgUnitId { get; set; }

    /// <summary>
    /// The code of the chi bộ a pending transfer letter sends the member to ("" for none):
    /// federation carries the file there, even to another node, so the receiving side can confirm.
    /// </summary>
    public string TransferToOrgCode { get; set; } = "";

    /// <summary>
    /// Who imported the member's file (null when it was entered otherwise). The import is the first entry of the
    /// member's timeline, at <see cref="ReplicatedRecord.CreatedAt"/>, read from here rather than stored as a
    /// <see cref="HistoryEntry"/> per member: an import of 500,000 files would otherwise write 500,000 identical
    /// entries and as many change-feed entries, and replicate them up (<see cref="ImportedEntry"/>).
    /// </summary>
    public string? ImportedBy { get; set; }

    /// <summary>The timeline's entry of the import, or null when the file was not imported.</summary>
    public HistoryEntry? ImportedEntry() => ImportedBy is null
        ? null
        : new HistoryEntry
        {
            Id = Id, MemberId = Id, OwnerOrgUnitId = OwnerOrgUnitId, OriginNode = OriginNode, Classification = Classification,
            Version = 1, CreatedAt = CreatedAt, UpdatedAt = CreatedAt, At = CreatedAt, Actor = ImportedBy,
            Action = ImportedAction, Summary = "Nhập hồ sơ từ tệp",
        };

    /// <summary>The <see cref="HistoryEntry.Action"/> of an import.</summary>
    public const string ImportedAction = "imported";

    public DateOnly ProbationEnds(RuleSet rules) => AdmissionCeremonyDate.AddMonths(rules.ProbationMonths);

    /// <summary>An official or internal transfer received: the member belongs to <paramref name="cellId"/> with the status held before.</summary>
    public void JoinCell(Guid cellId)
    {
        OwnerOrgUnitId = cellId;
        Status = PreviousStatus ?? MemberStatus.Official;
        PreviousStatus = null;
        TemporaryOrgUnitId = null;
        TransferToOrgCode = "";
    }
}

/// <summary>A person who introduced an applicant (người giới thiệu).</summary>
internal sealed record IntroducerInfo(string FullName, Guid? MemberId, DateOnly WorkedWithSince);

/// <summary>One entry of a member's timeline: who did what, when and why.</summary>
[RecordType("members.history")]
internal sealed class HistoryEntry : ReplicatedRecord
{
    public Guid MemberId { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
    public string Actor { get; set; } = "";

    /// <summary>Stable code: registered, admitted, profile-updated, recognized, …</summary>
    public string Action { get; set; } = "";
    public string Summary { get; set; } = "";
    public string Reason { get; set; } = "";

    /// <summary>What changed, as JSON.</summary>
    public string Details { get; set; } = "{}";
}

/// <summary>Giấy giới thiệu sinh hoạt đảng, with its clocks. Owned by the sending chi bộ.</summary>
[RecordType("members.transfer")]
internal sealed class TransferLetterRecord : ReplicatedRecord
{
    public Guid MemberId { get; set; }
    public TransferKind Kind { get; set; }
    public string LetterNumber { get; set; } = "";
    public DateOnly DecisionDate { get; set; }
    public DateOnly LetterDate { get; set; }
    public Guid FromOrgUnitId { get; set; }
    public Guid ToOrgUnitId { get; set; }

    /// <summary>The codes of the two chi bộ: ids are local to a node, the codes travel (and address the letter).</summary>
    public string FromOrgCode { get; set; } = "";
    public string ToOrgCode { get; set; } = "";
    public DateOnly StartDeadline { get; set; }
    public DateOnly PresentDeadline { get; set; }
    public bool StartedLate { get; set; }
    public TransferState State { get; set; }
    public DateOnly? ReceivedOn { get; set; }
    public bool ReceivedLate { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>
/// Biên nhận chuyển giao: the receiving node confirmed a letter another node sent, and took the
/// member file over from <see cref="MemberVersion"/> on. Owned by the receiving chi bộ and
/// addressed back to the sending one, so that every node on the way re-owns its copy of the file
/// and the sending node closes the letter and marks the member transferred out.
/// </summary>
[RecordType("members.handover")]
internal sealed class HandoverRecord : ReplicatedRecord
{
    public Guid LetterId { get; set; }
    public Guid MemberId { get; set; }
    public string FromNode { get; set; } = "";
    public string ToNode { get; set; } = "";
    public string FromOrgCode { get; set; } = "";
    public string ToOrgCode { get; set; } = "";
    public DateOnly ReceivedOn { get; set; }
    public bool ReceivedLate { get; set; }

    /// <summary>The file's first version at the new owner; every older copy gives way to it.</summary>
    public long MemberVersion { get; set; }
}

[RecordType("members.discipline")]
internal sealed class DisciplineRecord : ReplicatedRecord
{
    public Guid MemberId { get; set; }
    public DisciplineForm Form { get; set; }
    public string DecisionNumber { get; set; } = "";
    public DateOnly DecisionDate { get; set; }
    public string IssuedBy { get; set; } = "";
    public string Reason { get; set; } = "";
}

[RecordType("members.badge")]
internal sealed class BadgeAward : ReplicatedRecord
{
    public Guid MemberId { get; set; }
    public int Years { get; set; }
    public DateOnly BatchDate { get; set; }
    public string DecisionNumber { get; set; } = "";
}

/// <summary>What a member's dues are computed from, from a month on.</summary>
[RecordType("members.dues-basis")]
internal sealed class DuesBasisRecord : ReplicatedRecord
{
    public Guid MemberId { get; set; }

    /// <summary>yyyyMM.</summary>
    public int FromPeriod { get; set; }
    public DuesBasisKind Kind { get; set; }

    /// <summary>Đồng: the salary, benefit or pension the rate applies to.</summary>
    public long Amount { get; set; }
}

/// <summary>A hardship reduction (giảm, miễn đảng phí do hoàn cảnh khó khăn) for a span of months.</summary>
[RecordType("members.dues-reduction")]
internal sealed class HardshipReduction : ReplicatedRecord
{
    public Guid MemberId { get; set; }
    public int Percent { get; set; }
    public int FromPeriod { get; set; }
    public int ToPeriod { get; set; }
    public string DecisionNumber { get; set; } = "";
    public string Reason { get; set; } = "";
}

/// <summary>One month paid by one member: a line of the dues ledger.</summary>
[RecordType("members.dues-payment")]
internal sealed class DuesPayment : ReplicatedRecord
{
    public Guid MemberId { get; set; }
    public int Period { get; set; }

    /// <summary>What was due when it was paid, as computed then.</summary>
    public long Due { get; set; }
    public long Amount { get; set; }
    public DateOnly PaidOn { get; set; }
}

/// <summary>An effective-dated rule pack; node-wide (owner: the organisation that published it).</summary>
[RecordType("members.rule-pack")]
internal sealed class RulePackRecord : ReplicatedRecord
{
    public DateOnly ValidFrom { get; set; }
    public string Name { get; set; } = "";
    public string SourceDocument { get; set; } = "";
    public string Rules { get; set; } = "{}";
}
