using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class VisibilityTests : IAsyncLifetime
{
    private MembersHost _host = null!;
    private Member _member = null!;

    public async Task InitializeAsync()
    {
        _host = await MembersHost.StartAsync();
        _member = await _host.RegisterOfficialAsync("Vũ Văn Mật", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Member> Get() => _host.Run<QueryService, Member>(s => s.GetAsync(_member.Id, CancellationToken.None));

    private Task<SearchResult> Search(Guid org) =>
        _host.Run<QueryService, SearchResult>(s => s.SearchAsync(new MemberSearch { OrgUnitId = org, Text = "vu van mat" }, CancellationToken.None));

    private Task<Member> Classify(Classification classification) =>
        _host.Run<AdmissionService, Member>(s => s.ClassifyAsync(_member.Id, 0, classification, "cán bộ lực lượng vũ trang", CancellationToken.None));

    [Fact]
    public async Task A_classified_file_is_seen_only_by_holders_of_the_classified_read_right()
    {
        _host.As(MembersHost.Secretary);
        await ((Func<Task>)(() => Classify(Classification.Confidential))).Denied();

        _host.As(MembersHost.WardOffice);
        (await Classify(Classification.Confidential)).Classification.Should().Be(Classification.Confidential);
        (await Get()).FullName.Should().Be("Vũ Văn Mật");
        (await Search(TestOrganisation.Ward)).Total.Should().Be(1);

        _host.As(MembersHost.Secretary);
        await ((Func<Task>)Get).Denied();
        (await Search(TestOrganisation.CellA)).Total.Should().Be(0);
    }

    [Fact]
    public async Task The_chi_bo_hosting_a_temporary_transfer_may_see_the_member_but_not_edit_the_file()
    {
        var letter = await _host.Run<TransferService, TransferLetterRecord>(s => s.StartAsync(
            new StartTransferCommand(_member.Id, 0, TransferKind.Temporary, "3-GGT", new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 17), TestOrganisation.CellB, "học tập"), CancellationToken.None));
        _host.As(MembersHost.SecretaryB);
        await ((Func<Task>)Get).Denied();

        await _host.Run<TransferService, TransferLetterRecord>(s => s.ConfirmAsync(new ConfirmTransferCommand(letter.Id, new DateOnly(2026, 11, 18)), CancellationToken.None));

        (await Get()).OwnerOrgUnitId.Should().Be(TestOrganisation.CellA);
        (await Search(TestOrganisation.CellB)).Items.Should().ContainSingle().Which.Id.Should().Be(_member.Id);
        await ((Func<Task>)(() => _host.Run<StatusService, Member>(s => s.ExemptAsync(
            new ExemptMemberCommand(_member.Id, 0, ExemptionReason.Health, "1", new DateOnly(2026, 11, 20), ""), CancellationToken.None)))).Denied();
    }
}
