using DangVu.Contracts.Members.V1;
using Member = DangVu.Modules.Members.Domain.Member;
using DangVu.Core.Abstractions.Events;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using DisciplineForm = DangVu.Modules.Members.Domain.DisciplineForm;
using Gender = DangVu.Modules.Members.Domain.Gender;
using ExemptionReason = DangVu.Modules.Members.Domain.ExemptionReason;
using LeaveReason = DangVu.Modules.Members.Domain.LeaveReason;
using MemberStatus = DangVu.Modules.Members.Domain.MemberStatus;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class StatusTests : IAsyncLifetime
{
    private MembersHost _host = null!;
    private Member _official = null!;
    private Member _probationary = null!;

    public async Task InitializeAsync()
    {
        _host = await MembersHost.StartAsync();
        _official = await _host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(1975, 3, 2));
        var second = await _host.RegisterOfficialAsync("Lê Thị Thiệu", TestOrganisation.CellA, new DateOnly(2005, 6, 1), Gender.Female);
        _probationary = await _host.AdmitAsync("Phạm Thị Hồng", TestOrganisation.CellA, new DateOnly(2026, 5, 4),
        [
            new IntroducerInfo(_official.FullName, _official.Id, new DateOnly(2020, 1, 1)),
            new IntroducerInfo(second.FullName, second.Id, new DateOnly(2020, 1, 1)),
        ]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Member> Exempt(Member member) => _host.Run<StatusService, Member>(s => s.ExemptAsync(
        new ExemptMemberCommand(member.Id, 0, ExemptionReason.Age, "20-QĐ/CB", new DateOnly(2026, 11, 2), "đơn xin miễn sinh hoạt"), CancellationToken.None));

    private Task<Member> Discipline(Member member, DisciplineForm form) => _host.Run<StatusService, Member>(s => s.RecordDisciplineAsync(
        new RecordDisciplineCommand(member.Id, form, "03-QĐ/UBKT", new DateOnly(2026, 11, 10), "Ủy ban Kiểm tra Đảng ủy phường", "vi phạm quy định"), CancellationToken.None));

    private Task<Member> Leave(Member member, LeaveReason reason, string decision = "07-QĐ/ĐU") => _host.Run<StatusService, Member>(s => s.RecordLeavingAsync(
        new RecordLeavingCommand(member.Id, 0, reason, decision, new DateOnly(2026, 11, 15), ""), CancellationToken.None));

    [Fact]
    public async Task An_exempted_official_member_returns_to_official_when_the_exemption_ends()
    {
        (await Exempt(_official)).Status.Should().Be(MemberStatus.Exempted);
        await ((Func<Task>)(() => Exempt(_official))).RefusedBy("exemption.already-exempted");

        var back = await _host.Run<StatusService, Member>(s => s.EndExemptionAsync(
            new EndExemptionCommand(_official.Id, 0, new DateOnly(2026, 11, 20), "sức khỏe đã hồi phục"), CancellationToken.None));

        back.Status.Should().Be(MemberStatus.Official);
        var actions = await _host.Db(db => db.History.Where(h => h.MemberId == _official.Id).OrderBy(h => h.At).Select(h => h.Action).ToListAsync());
        actions.Should().EndWith(["exempted", "exemption-ended"]);
    }

    [Fact]
    public async Task A_probationary_member_cannot_be_exempted() =>
        await ((Func<Task>)(() => Exempt(_probationary))).RefusedBy("exemption.official-only");

    [Fact]
    public async Task Ending_an_exemption_the_member_does_not_have_is_refused() =>
        await ((Func<Task>)(() => _host.Run<StatusService, Member>(s => s.EndExemptionAsync(
            new EndExemptionCommand(_official.Id, 0, new DateOnly(2026, 11, 20), ""), CancellationToken.None)))).RefusedBy("exemption.not-exempted");

    [Fact]
    public async Task A_probationary_member_may_be_reprimanded_but_not_dismissed()
    {
        (await ((Func<Task>)(() => Discipline(_probationary, DisciplineForm.Dismissal))).RefusedBy("discipline.form-not-allowed"))
            .MessageVi.Should().Contain("cách chức");
        await Discipline(_probationary, DisciplineForm.Reprimand);

        var records = await _host.Run<StatusService, IReadOnlyList<DisciplineRecord>>(s => s.DisciplinesAsync(_probationary.Id, CancellationToken.None));
        records.Should().ContainSingle().Which.Form.Should().Be(DisciplineForm.Reprimand);
    }

    [Fact]
    public async Task Expulsion_takes_the_member_off_the_rolls()
    {
        var expelled = await Discipline(_official, DisciplineForm.Expulsion);

        expelled.Status.Should().Be(MemberStatus.Left);
        expelled.LeaveReason.Should().Be(LeaveReason.Expelled);
        expelled.LeftOn.Should().Be(new DateOnly(2026, 11, 10));
        (await _host.Db(db => db.Outbox.Select(o => o.EventType).ToListAsync())).Should().Contain("dangvu.members.v1.MemberDisciplined");
    }

    [Fact]
    public async Task A_discipline_decision_from_the_inspection_module_is_recorded()
    {
        await _host.Run<StatusService>(async status =>
        {
            var handler = new DisciplineRecordedHandler(status, NullLogger<DisciplineRecordedHandler>.Instance);
            await handler.HandleAsync(
                new DisciplineRecorded
                {
                    MemberId = _official.Id.ToString(),
                    Form = DangVu.Contracts.Members.V1.DisciplineForm.Warning,
                    DecisionNumber = "09-QĐ/UBKTTU",
                    DecisionDate = new CalendarDate { Year = 2026, Month = 11, Day = 12 },
                    IssuedBy = "Ủy ban Kiểm tra Thành ủy",
                },
                new IntegrationEventContext(Guid.NewGuid(), DisciplineRecorded.Descriptor.FullName, "inspection", DateTime.UtcNow),
                CancellationToken.None);
        });

        var record = await _host.Db(db => db.Disciplines.SingleAsync(d => d.MemberId == _official.Id));
        record.Form.Should().Be(DisciplineForm.Warning);
        record.IssuedBy.Should().Be("Ủy ban Kiểm tra Thành ủy");
    }

    [Fact]
    public async Task Removal_from_the_rolls_and_death_end_membership_once()
    {
        (await Leave(_official, LeaveReason.RemovedFromRolls)).Should().Match<Member>(m => m.Status == MemberStatus.Left && m.LeaveReason == LeaveReason.RemovedFromRolls);
        (await Leave(_probationary, LeaveReason.Deceased, "")).Status.Should().Be(MemberStatus.Deceased);

        (await ((Func<Task>)(() => Leave(_official, LeaveReason.Resigned))).RefusedBy("member.not-on-rolls")).MessageVi.Should().Contain("Ra khỏi Đảng");
    }

    [Fact]
    public async Task Removal_from_the_rolls_needs_its_decision_number() =>
        await ((Func<Task>)(() => Leave(_official, LeaveReason.RemovedFromRolls, " "))).InvalidField("decision_number");

    [Fact]
    public async Task The_secretary_of_chi_bo_B_cannot_change_a_member_of_chi_bo_A()
    {
        _host.As(MembersHost.SecretaryB);
        await ((Func<Task>)(() => Exempt(_official))).Denied();
        await ((Func<Task>)(() => Leave(_official, LeaveReason.Resigned))).Denied();
        await ((Func<Task>)(() => Discipline(_official, DisciplineForm.Warning))).Denied();
    }
}
