using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class TransferTests : IAsyncLifetime
{
    private MembersHost _host = null!;
    private Member _member = null!;

    public async Task InitializeAsync()
    {
        _host = await MembersHost.StartAsync();
        _member = await _host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<TransferLetterRecord> Start(TransferKind kind, Guid to, DateOnly decision, DateOnly letter) =>
        _host.Run<TransferService, TransferLetterRecord>(s => s.StartAsync(
            new StartTransferCommand(_member.Id, 0, kind, "12-GGT/ĐU", decision, letter, to, "chuyển nơi công tác"), CancellationToken.None));

    private Task<TransferLetterRecord> Confirm(TransferLetterRecord letter, DateOnly on) =>
        _host.Run<TransferService, TransferLetterRecord>(s => s.ConfirmAsync(new ConfirmTransferCommand(letter.Id, on), CancellationToken.None));

    private Task<Member> Load() => _host.Db(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == _member.Id));

    [Fact]
    public async Task An_official_transfer_moves_the_member_once_the_receiving_chi_bo_confirms()
    {
        _host.As(MembersHost.Secretary);
        var letter = await Start(TransferKind.Official, TestOrganisation.CellC, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20));

        letter.PresentDeadline.Should().Be(new DateOnly(2026, 12, 20));
        // 60 working days from 16/11/2026: weekends, New Year's Day and the five weekdays off at Tết 2027 do not count.
        letter.StartDeadline.Should().Be(new DateOnly(2027, 2, 16));
        letter.StartedLate.Should().BeFalse();
        (await Load()).Status.Should().Be(MemberStatus.InTransfer);

        await ((Func<Task>)(() => Confirm(letter, new DateOnly(2026, 11, 23)))).Denied();
        _host.As(MembersHost.SecretaryC);
        var received = await Confirm(letter, new DateOnly(2026, 11, 23));

        received.ReceivedLate.Should().BeFalse();
        var moved = await Load();
        moved.OwnerOrgUnitId.Should().Be(TestOrganisation.CellC);
        moved.Status.Should().Be(MemberStatus.Official);
        (await _host.Run<QueryService, Member>(s => s.GetAsync(_member.Id, CancellationToken.None))).FullName.Should().Be("Vũ Văn Hải");
        _host.As(MembersHost.Secretary);
        await ((Func<Task>)(() => _host.Run<QueryService, Member>(s => s.GetAsync(_member.Id, CancellationToken.None)))).Denied();
        var history = await _host.Db(db => db.History.Where(h => h.MemberId == _member.Id).Select(h => h.Action).ToListAsync());
        history.Should().Contain(["transfer-started", "transfer-received"]);
    }

    [Fact]
    public async Task A_letter_issued_after_the_60_working_day_clock_is_flagged_late()
    {
        var letter = await Start(TransferKind.Official, TestOrganisation.CellC, new DateOnly(2026, 6, 1), new DateOnly(2026, 11, 20));
        letter.StartedLate.Should().BeTrue();
    }

    [Fact]
    public async Task A_letter_presented_after_30_days_is_flagged_late_and_listed_overdue_meanwhile()
    {
        var letter = await Start(TransferKind.Official, TestOrganisation.CellC, new DateOnly(2026, 9, 25), new DateOnly(2026, 10, 1));

        var pending = await _host.Run<TransferService, IReadOnlyList<PendingTransfer>>(s => s.PendingAsync(TestOrganisation.Ward, MembersHost.Today, CancellationToken.None));
        pending.Should().ContainSingle().Which.Should().Match<PendingTransfer>(p => p.Overdue && p.MemberFullName == "Vũ Văn Hải");
        (await Confirm(letter, new DateOnly(2026, 11, 23))).ReceivedLate.Should().BeTrue();
        (await _host.Run<TransferService, IReadOnlyList<PendingTransfer>>(s => s.PendingAsync(TestOrganisation.Ward, MembersHost.Today, CancellationToken.None))).Should().BeEmpty();
    }

    [Fact]
    public async Task A_second_letter_while_one_is_pending_is_refused()
    {
        await Start(TransferKind.Temporary, TestOrganisation.CellB, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20));
        await ((Func<Task>)(() => Start(TransferKind.Official, TestOrganisation.CellC, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20))))
            .RefusedBy("transfer.already-pending");
    }

    [Fact]
    public async Task An_internal_transfer_stays_within_the_same_Dang_bo()
    {
        await ((Func<Task>)(() => Start(TransferKind.Internal, TestOrganisation.CellC, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20))))
            .RefusedBy("transfer.internal-other-committee");
        var letter = await Start(TransferKind.Internal, TestOrganisation.CellB, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20));
        await Confirm(letter, new DateOnly(2026, 11, 21));
        (await Load()).OwnerOrgUnitId.Should().Be(TestOrganisation.CellB);
    }

    [Fact]
    public async Task A_temporary_transfer_keeps_the_member_on_the_home_rolls()
    {
        var letter = await Start(TransferKind.Temporary, TestOrganisation.CellB, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20));
        (await Load()).Status.Should().Be(MemberStatus.Official);

        await Confirm(letter, new DateOnly(2026, 11, 21));

        var member = await Load();
        member.OwnerOrgUnitId.Should().Be(TestOrganisation.CellA);
        member.TemporaryOrgUnitId.Should().Be(TestOrganisation.CellB);
    }

    [Fact]
    public async Task A_letter_to_the_members_own_chi_bo_or_dated_before_its_decision_is_the_fields_error()
    {
        await ((Func<Task>)(() => Start(TransferKind.Official, TestOrganisation.CellA, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20)))).InvalidField("to_org_unit_id");
        await ((Func<Task>)(() => Start(TransferKind.Official, TestOrganisation.CellC, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 10)))).InvalidField("letter_date");
    }

    [Fact]
    public async Task A_letter_is_confirmed_once()
    {
        var letter = await Start(TransferKind.Official, TestOrganisation.CellC, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20));
        await Confirm(letter, new DateOnly(2026, 11, 21));
        await ((Func<Task>)(() => Confirm(letter, new DateOnly(2026, 11, 22)))).RefusedBy("transfer.already-received");
    }
}
