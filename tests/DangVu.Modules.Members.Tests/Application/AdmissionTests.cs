using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class AdmissionTests : IAsyncLifetime
{
    private MembersHost _host = null!;
    private IReadOnlyList<IntroducerInfo> _introducers = [];

    public async Task InitializeAsync()
    {
        _host = await MembersHost.StartAsync();
        _introducers = await _host.IntroducersAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Member> Admit(MemberProfile profile, DateOnly decision, IReadOnlyList<IntroducerInfo>? introducers = null, Guid? cell = null, string? approval = null) =>
        _host.Run<AdmissionService, Member>(s => s.AdmitAsync(
            new AdmitMemberCommand(cell ?? TestOrganisation.CellA, profile, "15-QĐ/ĐU", decision, decision.AddDays(10), introducers ?? _introducers, approval),
            CancellationToken.None));

    [Fact]
    public async Task Admission_makes_a_probationary_member_and_records_who_admitted_them()
    {
        _host.As(MembersHost.Secretary);
        var member = await Admit(Sample.Profile("Phạm Thị Hồng", Gender.Female, new DateOnly(2001, 8, 19)), new DateOnly(2026, 5, 4));

        member.Status.Should().Be(MemberStatus.Probationary);
        member.OwnerOrgUnitId.Should().Be(TestOrganisation.CellA);
        member.AdmissionDate.Should().Be(new DateOnly(2026, 5, 4));
        member.SearchName.Should().Be("pham thi hong");
        var history = await _host.Run<QueryService, IReadOnlyList<HistoryEntry>>(s => s.HistoryAsync(member.Id, CancellationToken.None));
        history.Should().ContainSingle().Which.Should().Match<HistoryEntry>(h =>
            h.Action == "admitted" && h.Actor == MembersHost.Secretary && h.Summary.Contains("15-QĐ/ĐU") && h.Summary.Contains("14/05/2027"));
    }

    [Fact]
    public async Task An_applicant_under_18_is_refused()
    {
        var act = () => Admit(Sample.Profile("Ngô Văn Tí", Gender.Male, new DateOnly(2009, 1, 1)), new DateOnly(2026, 5, 4));
        (await act.RefusedBy("admission.min-age")).MessageVi.Should().Contain("đủ 18 tuổi");
    }

    [Fact]
    public async Task An_applicant_over_60_needs_the_provincial_approval()
    {
        var profile = Sample.Profile("Hà Văn Lão", Gender.Male, new DateOnly(1960, 1, 1));
        var act = () => Admit(profile, new DateOnly(2026, 5, 4));

        (await act.RefusedBy("admission.max-age")).MessageVi.Should().Contain("cấp ủy tỉnh");
        (await Admit(profile, new DateOnly(2026, 5, 4), approval: "Công văn 123-CV/TU")).Status.Should().Be(MemberStatus.Probationary);
    }

    [Fact]
    public async Task Fewer_introducers_than_the_rules_require_are_refused()
    {
        var act = () => Admit(Sample.Profile("Đinh Thị Mai", Gender.Female, new DateOnly(2000, 1, 1)), new DateOnly(2026, 5, 4), [_introducers[0]]);
        (await act.RefusedBy("admission.introducers")).MessageVi.Should().Contain("Cần 2");
    }

    [Fact]
    public async Task An_introducer_who_worked_with_the_applicant_less_than_a_year_is_refused()
    {
        var recent = new[] { _introducers[0], _introducers[1] with { WorkedWithSince = new DateOnly(2026, 1, 1) } };
        var act = () => Admit(Sample.Profile("Đinh Thị Mai", Gender.Female, new DateOnly(2000, 1, 1)), new DateOnly(2026, 5, 4), recent);
        await act.RefusedBy("admission.introducer-time");
    }

    [Fact]
    public async Task A_probationary_member_cannot_introduce()
    {
        var probationary = await Admit(Sample.Profile("Mai Văn Dự", Gender.Male, new DateOnly(1999, 2, 2)), new DateOnly(2026, 3, 1));
        var introducers = new[] { _introducers[0], new IntroducerInfo(probationary.FullName, probationary.Id, new DateOnly(2020, 1, 1)) };

        var act = () => Admit(Sample.Profile("Đinh Thị Mai", Gender.Female, new DateOnly(2000, 1, 1)), new DateOnly(2026, 5, 4), introducers);

        await act.RefusedBy("admission.introducer-not-official");
    }

    [Fact]
    public async Task A_citizen_id_already_on_file_is_refused()
    {
        var existing = await _host.Db(db => Task.FromResult(db.Members.First()));
        var profile = Sample.Profile("Người Trùng Số", existing.Gender, existing.DateOfBirth) with { CitizenId = existing.CitizenId };

        var act = () => Admit(profile, new DateOnly(2026, 5, 4));

        (await act.RefusedBy("member.citizen-id-unique")).MessageVi.Should().Contain(existing.CitizenId);
    }

    [Fact]
    public async Task An_ethnicity_outside_the_54_groups_is_the_fields_error()
    {
        var act = () => Admit(Sample.Profile("Đinh Thị Mai", Gender.Female, new DateOnly(2000, 1, 1), ethnicity: "77"), new DateOnly(2026, 5, 4));
        (await act.InvalidField("ethnicity_code")).MessageVi.Should().Contain("54 dân tộc");
    }

    [Fact]
    public async Task Members_belong_to_an_active_chi_bo_only()
    {
        var profile = Sample.Profile("Đinh Thị Mai", Gender.Female, new DateOnly(2000, 1, 1));
        await ((Func<Task>)(() => Admit(profile, new DateOnly(2026, 5, 4), cell: TestOrganisation.School))).InvalidField("org_unit_id");
        await ((Func<Task>)(() => Admit(profile, new DateOnly(2026, 5, 4), cell: TestOrganisation.Dissolved))).InvalidField("org_unit_id");
    }

    [Fact]
    public async Task A_decision_dated_in_the_future_is_refused() =>
        await ((Func<Task>)(() => Admit(Sample.Profile("Đinh Thị Mai", Gender.Female, new DateOnly(2000, 1, 1)), new DateOnly(2026, 12, 1)))).InvalidField("decision_date");

    [Fact]
    public async Task The_secretary_of_chi_bo_B_cannot_admit_into_chi_bo_A()
    {
        _host.As(MembersHost.SecretaryB);
        var act = () => Admit(Sample.Profile("Đinh Thị Mai", Gender.Female, new DateOnly(2000, 1, 1)), new DateOnly(2026, 5, 4));
        await act.Denied();
    }

    [Fact]
    public async Task Profile_edits_keep_each_changed_field_in_the_timeline()
    {
        var member = await Admit(Sample.Profile("Phạm Thị Hồng", Gender.Female, new DateOnly(2001, 8, 19)), new DateOnly(2026, 5, 4));
        var profile = Sample.Profile("Phạm Thị Hồng Nhung", Gender.Female, member.DateOfBirth) with { CitizenId = member.CitizenId, Workplace = "Trường THPT" };

        var updated = await _host.Run<AdmissionService, Member>(s => s.UpdateProfileAsync(new UpdateProfileCommand(member.Id, member.Version, profile, "đổi tên theo giấy khai sinh"), CancellationToken.None));

        updated.SearchName.Should().Be("pham thi hong nhung");
        var entry = (await _host.Run<QueryService, IReadOnlyList<HistoryEntry>>(s => s.HistoryAsync(member.Id, CancellationToken.None))).Last();
        entry.Action.Should().Be("profile-updated");
        entry.Reason.Should().Be("đổi tên theo giấy khai sinh");
        entry.Details.Should().Contain("Phạm Thị Hồng Nhung").And.Contain("workplace");
    }

    [Fact]
    public async Task A_reader_may_see_a_member_but_not_edit_the_file()
    {
        var member = await Admit(Sample.Profile("Phạm Thị Hồng", Gender.Female, new DateOnly(2001, 8, 19)), new DateOnly(2026, 5, 4));
        _host.As(MembersHost.Reader);

        (await _host.Run<QueryService, Member>(s => s.GetAsync(member.Id, CancellationToken.None))).FullName.Should().Be("Phạm Thị Hồng");
        var edit = () => _host.Run<AdmissionService, Member>(s => s.UpdateProfileAsync(
            new UpdateProfileCommand(member.Id, member.Version, Sample.Profile("X", Gender.Female, member.DateOfBirth) with { CitizenId = member.CitizenId }, ""), CancellationToken.None));
        await edit.Denied();
    }
}

public sealed class RecognitionTests : IAsyncLifetime
{
    private MembersHost _host = null!;
    private IReadOnlyList<IntroducerInfo> _introducers = [];

    public async Task InitializeAsync()
    {
        _host = await MembersHost.StartAsync();
        _introducers = await _host.IntroducersAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Member> Recognize(Member member, DateOnly decision) =>
        _host.Run<AdmissionService, Member>(s => s.RecognizeOfficialAsync(new RecognizeOfficialCommand(member.Id, 0, "05-NQ/CB", decision), CancellationToken.None));

    [Fact]
    public async Task Recognition_before_12_months_of_probation_is_refused_and_after_it_makes_the_member_official()
    {
        var member = await _host.AdmitAsync("Phạm Thị Hồng", TestOrganisation.CellA, new DateOnly(2025, 10, 1), _introducers);

        (await ((Func<Task>)(() => Recognize(member, new DateOnly(2026, 10, 5)))).RefusedBy("recognition.probation-incomplete"))
            .MessageVi.Should().Contain("11/10/2026");
        var official = await Recognize(member, new DateOnly(2026, 10, 20));

        official.Status.Should().Be(MemberStatus.Official);
        official.OfficialDate.Should().Be(new DateOnly(2026, 10, 11), "the member is official from the day the probation ends");
        official.OfficialDecision.Should().Be("05-NQ/CB");
    }

    [Fact]
    public async Task Only_probationary_members_are_recognised()
    {
        var official = await _host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
        await ((Func<Task>)(() => Recognize(official, new DateOnly(2026, 10, 20)))).RefusedBy("recognition.not-probationary");
    }

    [Fact]
    public async Task The_due_list_shows_completed_and_coming_probations_and_flags_the_overdue()
    {
        var overdue = await _host.AdmitAsync("Phạm Thị Hồng", TestOrganisation.CellA, new DateOnly(2025, 10, 1), _introducers);
        var coming = await _host.AdmitAsync("Lương Văn Tới", TestOrganisation.CellA, new DateOnly(2025, 11, 21), _introducers, gender: Gender.Male);
        await _host.AdmitAsync("Cao Thị Xa", TestOrganisation.CellA, new DateOnly(2026, 5, 4), _introducers);

        var due = await _host.Run<AdmissionService, IReadOnlyList<RecognitionDue>>(s => s.RecognitionsDueAsync(TestOrganisation.Ward, MembersHost.Today, CancellationToken.None));

        due.Select(d => (d.Member.Id, d.ProbationEnds, d.Complete, d.Overdue)).Should().Equal(
            (overdue.Id, new DateOnly(2026, 10, 11), true, true),
            (coming.Id, new DateOnly(2026, 12, 1), false, false));
    }

    [Fact]
    public async Task The_probation_length_is_the_one_in_force_at_the_ceremony()
    {
        var rules = await _host.Run<RuleBook, RuleTimeline>(r => r.TimelineAsync(CancellationToken.None));
        await _host.Run<RuleBook, RulePackInfo>(r => r.PublishAsync(
            TestOrganisation.Ward, new DateOnly(2025, 1, 1), "Bộ quy định thử 18 tháng", "thử nghiệm", rules.Packs[0].Rules with { ProbationMonths = 18 }, CancellationToken.None));
        var member = await _host.AdmitAsync("Phạm Thị Hồng", TestOrganisation.CellA, new DateOnly(2025, 2, 20), _introducers);

        (await ((Func<Task>)(() => Recognize(member, new DateOnly(2026, 6, 15)))).RefusedBy("recognition.probation-incomplete"))
            .MessageVi.Should().Contain("02/09/2026");
        (await Recognize(member, new DateOnly(2026, 9, 10))).OfficialDate.Should().Be(new DateOnly(2026, 9, 2));
    }
}
