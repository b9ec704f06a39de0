using System.Text.Json;
using DangVu.Modules.Members.Domain;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// Translations between dangvu.members.v1 messages and the module's commands and results, so
/// that the Rpc/ layer only calls a service between a request's <c>ToCommand</c> and a result's
/// <c>ToContract</c>. Enum numbers are the same on both sides (a test holds them together);
/// the services reject undefined values with the field named.
/// </summary>
internal static class ContractMapping
{
    // ---- scalars ----

    public static V1.CalendarDate ToContract(this DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static V1.CalendarDate? ToContract(this DateOnly? date) => date?.ToContract();

    public static DateOnly? ToDate(this V1.CalendarDate? date, string field) =>
        date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0)
            ? null
            : date.Year is >= 1 and <= 9999 && date.Month is >= 1 and <= 12 && date.Day >= 1 && date.Day <= DateTime.DaysInMonth(date.Year, date.Month)
                ? new DateOnly(date.Year, date.Month, date.Day)
                : throw Refuse.Field(field, "Ngày không hợp lệ.", "The date is invalid.");

    public static DateOnly RequireDate(this V1.CalendarDate? date, string field) =>
        date.ToDate(field) ?? throw Refuse.Field(field, "Chưa nhập ngày.", "The date is required.");

    public static Guid RequireId(string? value, string field) =>
        Guid.TryParse(value, out var id) && id != Guid.Empty
            ? id
            : throw Refuse.Field(field, "Mã định danh không hợp lệ.", "The id is not a valid UUID.");

    private static string? Blank(string value) => value.Length == 0 ? null : value;

    // ---- requests → commands ----

    public static MemberProfile ToProfile(this V1.Profile? p)
    {
        if (p is null)
        {
            throw Refuse.Field("profile", "Chưa nhập hồ sơ.", "The profile is required.");
        }

        return new MemberProfile
        {
            FullName = p.FullName,
            OtherNames = p.OtherNames,
            Gender = (Gender)(int)p.Gender,
            DateOfBirth = p.DateOfBirth.RequireDate("date_of_birth"),
            PlaceOfBirth = p.PlaceOfBirth,
            Hometown = p.Hometown,
            EthnicityCode = p.EthnicityCode,
            ReligionCode = p.ReligionCode,
            CitizenId = p.CitizenId,
            FileNumber = Blank(p.FileNumber),
            CardNumber = Blank(p.CardNumber),
            GeneralEducation = p.GeneralEducation,
            ProfessionalQualification = p.ProfessionalQualification,
            TheoryLevel = (TheoryLevel)(int)p.TheoryLevel,
            Occupation = p.Occupation,
            JobTitle = p.JobTitle,
            Workplace = p.Workplace,
            Phone = p.Phone,
            Email = p.Email,
            Address = p.Address,
        };
    }

    public static RegisterMemberCommand ToCommand(this V1.RegisterMemberRequest r) => new(
        RequireId(r.OrgUnitId, "org_unit_id"), r.Profile.ToProfile(), (MemberStatus)(int)r.Status,
        r.AdmissionDate.RequireDate("admission_date"), r.AdmissionDecision, r.AdmissionCeremonyDate.RequireDate("admission_ceremony_date"),
        r.OfficialDate.ToDate("official_date"), Blank(r.OfficialDecision));

    public static AdmitMemberCommand ToCommand(this V1.AdmitMemberRequest r) => new(
        RequireId(r.OrgUnitId, "org_unit_id"), r.Profile.ToProfile(), r.DecisionNumber,
        r.DecisionDate.RequireDate("decision_date"), r.CeremonyDate.RequireDate("ceremony_date"),
        r.Introducers.Select((x, i) => new IntroducerInfo(
            x.FullName,
            x.MemberId.Length == 0 ? null : RequireId(x.MemberId, $"introducers[{i}].member_id"),
            x.WorkedWithSince.RequireDate($"introducers[{i}].worked_with_since"))).ToList(),
        Blank(r.ProvincialApproval));

    public static UpdateProfileCommand ToCommand(this V1.UpdateProfileRequest r) =>
        new(RequireId(r.MemberId, "member_id"), r.ExpectedVersion, r.Profile.ToProfile(), r.Reason);

    public static RecognizeOfficialCommand ToCommand(this V1.RecognizeOfficialRequest r) =>
        new(RequireId(r.MemberId, "member_id"), r.ExpectedVersion, r.DecisionNumber, r.DecisionDate.RequireDate("decision_date"));

    public static StartTransferCommand ToCommand(this V1.StartTransferRequest r) => new(
        RequireId(r.MemberId, "member_id"), r.ExpectedVersion, (TransferKind)(int)r.Kind, r.LetterNumber,
        r.DecisionDate.RequireDate("decision_date"), r.LetterDate.RequireDate("letter_date"), RequireId(r.ToOrgUnitId, "to_org_unit_id"), r.Reason);

    public static ConfirmTransferCommand ToCommand(this V1.ConfirmTransferRequest r) =>
        new(RequireId(r.LetterId, "letter_id"), r.ReceivedOn.RequireDate("received_on"));

    public static ExemptMemberCommand ToCommand(this V1.ExemptMemberRequest r) => new(
        RequireId(r.MemberId, "member_id"), r.ExpectedVersion, (ExemptionReason)(int)r.Reason, r.DecisionNumber, r.DecisionDate.RequireDate("decision_date"), r.Note);

    public static EndExemptionCommand ToCommand(this V1.EndExemptionRequest r) =>
        new(RequireId(r.MemberId, "member_id"), r.ExpectedVersion, r.DecisionDate.RequireDate("decision_date"), r.Note);

    public static RecordDisciplineCommand ToCommand(this V1.DisciplineRecorded r) => new(
        RequireId(r.MemberId, "member_id"), (DisciplineForm)(int)r.Form, r.DecisionNumber, r.DecisionDate.RequireDate("decision_date"), r.IssuedBy, r.Reason);

    public static RecordLeavingCommand ToCommand(this V1.RecordLeavingRequest r) => new(
        RequireId(r.MemberId, "member_id"), r.ExpectedVersion, (LeaveReason)(int)r.Reason, r.DecisionNumber, r.Date.RequireDate("date"), r.Note);

    public static AwardBadgeCommand ToCommand(this V1.AwardBadgeRequest r) =>
        new(RequireId(r.MemberId, "member_id"), r.Years, r.BatchDate.RequireDate("batch_date"), r.DecisionNumber);

    public static SetDuesBasisCommand ToCommand(this V1.SetDuesBasisRequest r) =>
        new(RequireId(r.MemberId, "member_id"), r.FromYear, r.FromMonth, (DuesBasisKind)(int)r.Kind, r.Amount);

    public static RecordHardshipReductionCommand ToCommand(this V1.RecordHardshipReductionRequest r) => new(
        RequireId(r.MemberId, "member_id"), r.Percent, r.FromYear, r.FromMonth, r.ToYear, r.ToMonth, r.DecisionNumber, r.Reason);

    public static RecordDuesPaymentCommand ToCommand(this V1.RecordDuesPaymentRequest r) =>
        new(RequireId(r.MemberId, "member_id"), r.Year, r.Month, r.Amount, r.PaidOn.RequireDate("paid_on"));

    public static MemberSearch ToSearch(this V1.SearchMembersRequest r) => new()
    {
        OrgUnitId = RequireId(r.OrgUnitId, "org_unit_id"),
        Text = Blank(r.Text),
        Statuses = r.Statuses.Select(s => (MemberStatus)(int)s).ToList(),
        Gender = r.Gender == V1.Gender.Unspecified ? null : (Gender)(int)r.Gender,
        AgeFrom = r.AgeFrom > 0 ? r.AgeFrom : null,
        AgeTo = r.AgeTo > 0 ? r.AgeTo : null,
        EthnicityCode = Blank(r.EthnicityCode),
        TheoryLevel = r.TheoryLevel == V1.TheoryLevel.Unspecified ? null : (TheoryLevel)(int)r.TheoryLevel,
        GeneralEducation = Blank(r.GeneralEducation),
        PartyAgeFrom = r.PartyAgeFrom > 0 ? r.PartyAgeFrom : null,
        PartyAgeTo = r.PartyAgeTo > 0 ? r.PartyAgeTo : null,
        Page = r.Page == 0 ? 1 : r.Page,
        PageSize = r.PageSize == 0 ? 50 : r.PageSize,
        Sort = r.Sort switch
        {
            "" or "name" => MemberSort.Name,
            "birth" => MemberSort.DateOfBirth,
            "admission" => MemberSort.AdmissionDate,
            _ => throw Refuse.Field("sort", "Cách sắp xếp phải là name, birth hoặc admission.", "Sort is name, birth or admission."),
        },
        Descending = r.Descending,
        AsOf = r.AsOf.ToDate("as_of"),
    };

    // ---- results → messages ----

    public static V1.Member ToContract(this Member m)
    {
        var message = new V1.Member
        {
            Id = m.Id.ToString(),
            Version = m.Version,
            OrgUnitId = m.OwnerOrgUnitId.ToString(),
            Profile = new V1.Profile
            {
                FullName = m.FullName,
                OtherNames = m.OtherNames,
                Gender = (V1.Gender)(int)m.Gender,
                DateOfBirth = m.DateOfBirth.ToContract(),
                PlaceOfBirth = m.PlaceOfBirth,
                Hometown = m.Hometown,
                EthnicityCode = m.EthnicityCode,
                ReligionCode = m.ReligionCode,
                CitizenId = m.CitizenId,
                FileNumber = m.FileNumber ?? "",
                CardNumber = m.CardNumber ?? "",
                GeneralEducation = m.GeneralEducation,
                ProfessionalQualification = m.ProfessionalQualification,
                TheoryLevel = (V1.TheoryLevel)(int)m.TheoryLevel,
                Occupation = m.Occupation,
                JobTitle = m.JobTitle,
                Workplace = m.Workplace,
                Phone = m.Phone,
                Email = m.Email,
                Address = m.Address,
            },
            Status = (V1.MemberStatus)(int)m.Status,
            LeaveReason = m.LeaveReason is { } reason ? (V1.LeaveReason)(int)reason : V1.LeaveReason.Unspecified,
            AdmissionDate = m.AdmissionDate.ToContract(),
            AdmissionDecision = m.AdmissionDecision,
            AdmissionCeremonyDate = m.AdmissionCeremonyDate.ToContract(),
            OfficialDate = m.OfficialDate.ToContract(),
            OfficialDecision = m.OfficialDecision ?? "",
            TemporaryOrgUnitId = m.TemporaryOrgUnitId?.ToString() ?? "",
            LeftOn = m.LeftOn.ToContract(),
        };
        foreach (var introducer in JsonSerializer.Deserialize<List<IntroducerInfo>>(m.Introducers, RuleSet.Json) ?? [])
        {
            message.Introducers.Add(new V1.Introducer
            {
                FullName = introducer.FullName,
                MemberId = introducer.MemberId?.ToString() ?? "",
                WorkedWithSince = introducer.WorkedWithSince.ToContract(),
            });
        }

        return message;
    }

    public static V1.MemberSummary ToContract(this MemberSummary s) => new()
    {
        Id = s.Id.ToString(),
        FullName = s.FullName,
        Gender = (V1.Gender)(int)s.Gender,
        DateOfBirth = s.DateOfBirth.ToContract(),
        OrgUnitId = s.OrgUnitId.ToString(),
        Status = (V1.MemberStatus)(int)s.Status,
        CitizenId = s.CitizenId,
        CardNumber = s.CardNumber ?? "",
        AdmissionDate = s.AdmissionDate.ToContract(),
    };

    public static V1.SearchMembersResponse ToContract(this SearchResult r)
    {
        var message = new V1.SearchMembersResponse { Total = r.Total, MoreThanTotal = r.MoreThanTotal };
        message.Items.AddRange(r.Items.Select(ToContract));
        return message;
    }

    public static V1.MemberHistory ToContract(this IEnumerable<HistoryEntry> entries)
    {
        var message = new V1.MemberHistory();
        message.Entries.AddRange(entries.Select(h => new V1.HistoryEntry
        {
            At = DateTime.SpecifyKind(h.At, DateTimeKind.Utc).ToString("O"),
            Actor = h.Actor,
            Action = h.Action,
            SummaryVi = h.Summary,
            Reason = h.Reason,
            DetailsJson = h.Details,
        }));
        return message;
    }

    public static V1.RecognitionsDue ToContract(this IEnumerable<RecognitionDue> items)
    {
        var message = new V1.RecognitionsDue();
        message.Items.AddRange(items.Select(d => new V1.RecognitionDue { Member = d.Member.ToContract(), ProbationEnds = d.ProbationEnds.ToContract(), Overdue = d.Overdue }));
        return message;
    }

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
        ReceivedOn = t.ReceivedOn.ToContract(),
        ReceivedLate = t.ReceivedLate,
        MemberFullName = memberFullName,
        OriginNode = t.OriginNode,
        FromOrgCode = t.FromOrgCode,
        ToOrgCode = t.ToOrgCode,
    };

    public static V1.PendingTransfers ToContract(this IEnumerable<PendingTransfer> items)
    {
        var message = new V1.PendingTransfers();
        message.Items.AddRange(items.Select(p => p.Letter.ToContract(p.MemberFullName)));
        return message;
    }

    public static V1.BadgeCandidates ToContract(this IEnumerable<BadgeCandidate> items)
    {
        var message = new V1.BadgeCandidates();
        message.Items.AddRange(items.Select(c => new V1.BadgeCandidate { Member = c.Member.ToContract(), Years = c.Years, ReachedOn = c.ReachedOn.ToContract(), Late = c.Late }));
        return message;
    }

    public static V1.DuesLedger ToContract(this DuesLedger ledger)
    {
        var message = new V1.DuesLedger { MemberId = ledger.MemberId.ToString() };
        message.Lines.AddRange(ledger.Lines.Select(l => new V1.DuesLine
        {
            Year = l.Period / 100,
            Month = l.Period % 100,
            Due = l.Due,
            Paid = l.Paid,
            PaidOn = l.PaidOn.ToContract(),
            Basis = l.Basis,
            Exempt = l.Exempt,
        }));
        return message;
    }

    public static V1.CollectionSheet ToContract(this CollectionSheet sheet)
    {
        var message = new V1.CollectionSheet
        {
            OrgUnitId = sheet.OrgUnitId.ToString(),
            Year = sheet.Period / 100,
            Month = sheet.Period % 100,
            TotalDue = sheet.TotalDue,
            TotalPaid = sheet.TotalPaid,
            Kept = sheet.Kept,
            SentUp = sheet.SentUp,
        };
        message.Lines.AddRange(sheet.Lines.Select(l => new V1.CollectionSheetLine { Member = l.Member.ToContract(), Due = l.Due, Paid = l.Paid, Basis = l.Basis }));
        return message;
    }

    public static V1.UnpaidDues ToContract(this IEnumerable<UnpaidDues> items)
    {
        var message = new V1.UnpaidDues();
        foreach (var item in items)
        {
            var line = new V1.UnpaidDuesItem { Member = item.Member.ToContract() };
            line.UnpaidMonths.AddRange(item.UnpaidPeriods.Select(p => p % 100));
            message.Items.Add(line);
        }

        return message;
    }

    public static V1.MemberStatistics ToContract(this MemberStatistics s)
    {
        static IEnumerable<V1.CountByKey> Counts(IReadOnlyDictionary<string, int> counts) =>
            counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new V1.CountByKey { Key = c.Key, Count = c.Value });

        var message = new V1.MemberStatistics { Total = s.Total };
        message.ByStatus.AddRange(Counts(s.ByStatus));
        message.ByGender.AddRange(Counts(s.ByGender));
        message.ByAgeBand.AddRange(Counts(s.ByAgeBand));
        message.ByEthnicity.AddRange(Counts(s.ByEthnicity));
        message.ByReligion.AddRange(Counts(s.ByReligion));
        message.ByGeneralEducation.AddRange(Counts(s.ByGeneralEducation));
        message.ByTheoryLevel.AddRange(Counts(s.ByTheoryLevel));
        message.ByPartyAgeBand.AddRange(Counts(s.ByPartyAgeBand));
        return message;
    }

    public static V1.RulePack ToContract(this RulePackInfo pack) => new()
    {
        Id = pack.Id.ToString(),
        ValidFrom = pack.ValidFrom.ToContract(),
        Name = pack.Name,
        SourceDocument = pack.SourceDocument,
        RulesJson = pack.Rules.ToJson(),
    };
}
