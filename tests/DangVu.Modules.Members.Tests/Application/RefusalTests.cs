using DangVu.Core.Abstractions.Errors;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Application;

/// <summary>The remaining bad paths of each operation: the right error, the field or rule named.</summary>
public sealed class RefusalTests : IAsyncLifetime
{
    private MembersHost _host = null!;
    private Member _member = null!;

    public async Task InitializeAsync()
    {
        _host = await MembersHost.StartAsync();
        _member = await _host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2), card: "99887766");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Member> Register(MemberStatus status, DateOnly? official) =>
        _host.Run<AdmissionService, Member>(s => s.RegisterAsync(
            new RegisterMemberCommand(TestOrganisation.CellA, Sample.Profile("Lý Thị Nhập", Gender.Female, new DateOnly(1990, 1, 1)), status,
                new DateOnly(2020, 1, 1), "01-QĐ/ĐU", new DateOnly(2020, 1, 10), official, "02-NQ/CB"), CancellationToken.None));

    [Fact]
    public async Task An_entered_file_is_probationary_or_official_with_a_complete_probation()
    {
        await ((Func<Task>)(() => Register(MemberStatus.Exempted, null))).InvalidField("status");
        await ((Func<Task>)(() => Register(MemberStatus.Official, null))).InvalidField("official_date");
        await ((Func<Task>)(() => Register(MemberStatus.Official, new DateOnly(2020, 12, 1)))).RefusedBy("recognition.probation-incomplete");
        (await Register(MemberStatus.Official, new DateOnly(2021, 1, 10))).OfficialDate.Should().Be(new DateOnly(2021, 1, 10));
    }

    [Fact]
    public async Task A_profile_edit_may_not_take_another_members_citizen_id_or_card()
    {
        var other = await _host.RegisterOfficialAsync("Hồ Văn Khác", TestOrganisation.CellA, new DateOnly(2011, 3, 2));
        var mine = Sample.Profile(other.FullName, other.Gender, other.DateOfBirth) with { CitizenId = other.CitizenId };
        Task<Member> Update(MemberProfile profile) => _host.Run<AdmissionService, Member>(s => s.UpdateProfileAsync(
            new UpdateProfileCommand(other.Id, 0, profile, ""), CancellationToken.None));

        await ((Func<Task>)(() => Update(mine with { CitizenId = _member.CitizenId, DateOfBirth = _member.DateOfBirth }))).RefusedBy("member.citizen-id-unique");
        await ((Func<Task>)(() => Update(mine with { CardNumber = "99887766" }))).RefusedBy("member.card-number-unique");
    }

    [Fact]
    public async Task An_unknown_member_is_not_found() =>
        await ((Func<Task>)(() => _host.Run<QueryService, Member>(s => s.GetAsync(Guid.CreateVersion7(), CancellationToken.None))))
            .Should().ThrowAsync<NotFoundException>().WithMessage("Không tìm thấy đảng viên*");

    [Fact]
    public async Task A_recognition_decision_in_the_future_is_the_fields_error()
    {
        var introducers = await _host.IntroducersAsync();
        var member = await _host.AdmitAsync("Phạm Thị Hồng", TestOrganisation.CellA, new DateOnly(2025, 10, 1), introducers);
        await ((Func<Task>)(() => _host.Run<AdmissionService, Member>(s => s.RecognizeOfficialAsync(
            new RecognizeOfficialCommand(member.Id, 0, "05-NQ/CB", new DateOnly(2026, 12, 1)), CancellationToken.None)))).InvalidField("decision_date");
    }

    [Fact]
    public async Task Transfer_inputs_are_checked()
    {
        Task<TransferLetterRecord> Start(TransferKind kind, DateOnly letter) => _host.Run<TransferService, TransferLetterRecord>(s => s.StartAsync(
            new StartTransferCommand(_member.Id, 0, kind, "12-GGT/ĐU", new DateOnly(2026, 11, 2), letter, TestOrganisation.CellC, ""), CancellationToken.None));

        await ((Func<Task>)(() => Start((TransferKind)0, new DateOnly(2026, 11, 5)))).InvalidField("kind");
        await ((Func<Task>)(() => Start(TransferKind.Official, new DateOnly(2026, 12, 5)))).InvalidField("letter_date");
        var sent = await Start(TransferKind.Official, new DateOnly(2026, 11, 5));
        await ((Func<Task>)(() => _host.Run<TransferService, TransferLetterRecord>(s => s.ConfirmAsync(new ConfirmTransferCommand(sent.Id, new DateOnly(2026, 11, 4)), CancellationToken.None))))
            .InvalidField("received_on");
        await ((Func<Task>)(() => _host.Run<TransferService, TransferLetterRecord>(s => s.ConfirmAsync(new ConfirmTransferCommand(Guid.CreateVersion7(), new DateOnly(2026, 11, 6)), CancellationToken.None))))
            .Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Status_operation_inputs_are_checked_and_a_member_off_the_rolls_is_left_alone()
    {
        await ((Func<Task>)(() => _host.Run<StatusService, Member>(s => s.ExemptAsync(
            new ExemptMemberCommand(_member.Id, 0, (ExemptionReason)0, "20-QĐ/CB", new DateOnly(2026, 11, 2), ""), CancellationToken.None)))).InvalidField("reason");
        await ((Func<Task>)(() => _host.Run<StatusService, Member>(s => s.RecordDisciplineAsync(
            new RecordDisciplineCommand(_member.Id, (DisciplineForm)0, "1", new DateOnly(2026, 11, 2), "", ""), CancellationToken.None)))).InvalidField("form");
        await ((Func<Task>)(() => _host.Run<StatusService, Member>(s => s.RecordLeavingAsync(
            new RecordLeavingCommand(_member.Id, 0, LeaveReason.Resigned, "7-QĐ", new DateOnly(2009, 1, 1), ""), CancellationToken.None)))).InvalidField("date");

        await _host.Run<StatusService, Member>(s => s.RecordLeavingAsync(
            new RecordLeavingCommand(_member.Id, 0, LeaveReason.Resigned, "7-QĐ", new DateOnly(2026, 11, 1), "đơn xin ra"), CancellationToken.None));

        await ((Func<Task>)(() => _host.Run<StatusService, Member>(s => s.RecordDisciplineAsync(
            new RecordDisciplineCommand(_member.Id, DisciplineForm.Warning, "1", new DateOnly(2026, 11, 2), "", ""), CancellationToken.None)))).RefusedBy("member.not-on-rolls");
        await ((Func<Task>)(() => _host.Run<BadgeService, BadgeAward>(s => s.AwardAsync(
            new AwardBadgeCommand(_member.Id, 30, new DateOnly(2026, 11, 7), "1"), CancellationToken.None)))).RefusedBy("member.not-on-rolls");
        await ((Func<Task>)(() => _host.Run<TransferService, TransferLetterRecord>(s => s.StartAsync(
            new StartTransferCommand(_member.Id, 0, TransferKind.Official, "1", new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 3), TestOrganisation.CellC, ""), CancellationToken.None))))
            .RefusedBy("member.not-on-rolls");
    }

    [Fact]
    public async Task Dues_inputs_are_checked()
    {
        Task<DuesLedger> Pay(int year, int month, long amount, DateOnly paidOn) => _host.Run<DuesService, DuesLedger>(s => s.PayAsync(
            new RecordDuesPaymentCommand(_member.Id, year, month, amount, paidOn), CancellationToken.None));

        await ((Func<Task>)(() => _host.Run<DuesService, DuesBasisRecord>(s => s.SetBasisAsync(
            new SetDuesBasisCommand(_member.Id, 2026, 1, DuesBasisKind.InsuranceSalary, 0), CancellationToken.None)))).InvalidField("amount");
        await ((Func<Task>)(() => _host.Run<DuesService, DuesBasisRecord>(s => s.SetBasisAsync(
            new SetDuesBasisCommand(_member.Id, 2026, 1, (DuesBasisKind)0, 1), CancellationToken.None)))).InvalidField("kind");
        await ((Func<Task>)(() => Pay(2009, 5, 10_000, new DateOnly(2026, 11, 1)))).RefusedBy("dues.not-liable");
        await ((Func<Task>)(() => Pay(2026, 5, 0, new DateOnly(2026, 11, 1)))).InvalidField("amount");
        await ((Func<Task>)(() => Pay(2026, 5, 10_000, new DateOnly(2026, 12, 1)))).InvalidField("paid_on");
    }
}
