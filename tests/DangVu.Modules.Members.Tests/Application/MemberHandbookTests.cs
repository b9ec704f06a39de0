using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class MemberHandbookTests
{
    [Theory, StorageProviders]
    public async Task A_linked_account_reads_its_own_file_and_ledger_without_any_role(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var hoa = await host.RegisterOfficialAsync("Nguyễn Thị Hoa", TestOrganisation.CellA, new DateOnly(2010, 3, 1), Gender.Female);
        await host.As(MembersHost.Secretary).Run<MemberHandbook>(h => h.LinkAsync(hoa.Id, "  Hoa.NT ", CancellationToken.None));

        var own = await host.As("hoa.nt").Run<MemberHandbook, Member?>(h => h.OwnAsync(CancellationToken.None));
        var ledger = await host.As("hoa.nt").Run<MemberHandbook, DuesLedger?>(h => h.OwnLedgerAsync(2026, CancellationToken.None));
        var stranger = await host.As("khach").Run<MemberHandbook, Member?>(h => h.OwnAsync(CancellationToken.None));

        own!.Id.Should().Be(hoa.Id);
        ledger!.MemberId.Should().Be(hoa.Id);
        ledger.Lines.Should().HaveCount(12);
        stranger.Should().BeNull("an account linked to no file sees none");
        (await host.Db(db => db.AccountLinks.SingleAsync())).UserName.Should().Be("hoa.nt", "names are kept trimmed and in lower case");
        (await host.Db(db => db.History.CountAsync(h => h.MemberId == hoa.Id && h.Action == "account-linked"))).Should().Be(1);
    }

    [Fact]
    public async Task One_account_cannot_be_linked_to_two_members()
    {
        await using var host = await MembersHost.StartAsync();
        var first = await host.RegisterOfficialAsync("Nguyễn Thị Hoa", TestOrganisation.CellA, new DateOnly(2010, 3, 1), Gender.Female);
        var second = await host.RegisterOfficialAsync("Nguyễn Thị Khác", TestOrganisation.CellA, new DateOnly(2011, 3, 1), Gender.Female);
        await host.Run<MemberHandbook>(h => h.LinkAsync(first.Id, "hoa.nt", CancellationToken.None));

        await ((Func<Task>)(() => host.Run<MemberHandbook>(h => h.LinkAsync(second.Id, "HOA.NT", CancellationToken.None)))).RefusedBy("account.already-linked");
        (await host.Db(db => db.AccountLinks.CountAsync())).Should().Be(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tên có dấu")]
    [InlineData("a/b")]
    public async Task A_malformed_user_name_is_refused_by_field(string userName)
    {
        await using var host = await MembersHost.StartAsync();
        var member = await host.RegisterOfficialAsync("Nguyễn Thị Hoa", TestOrganisation.CellA, new DateOnly(2010, 3, 1), Gender.Female);

        await ((Func<Task>)(() => host.Run<MemberHandbook>(h => h.LinkAsync(member.Id, userName, CancellationToken.None)))).InvalidField("user_name");
    }

    [Fact]
    public async Task Another_chi_bo_secretary_cannot_link_or_see_the_link_of_a_member()
    {
        await using var host = await MembersHost.StartAsync();
        var member = await host.RegisterOfficialAsync("Nguyễn Thị Hoa", TestOrganisation.CellA, new DateOnly(2010, 3, 1), Gender.Female);

        await ((Func<Task>)(() => host.As(MembersHost.SecretaryB).Run<MemberHandbook>(h => h.LinkAsync(member.Id, "hoa.nt", CancellationToken.None)))).Denied();
        await ((Func<Task>)(() => host.As(MembersHost.SecretaryB).Run<MemberHandbook, string?>(h => h.LinkedAccountAsync(member.Id, CancellationToken.None)))).Denied();
        await ((Func<Task>)(() => host.As(MembersHost.Reader).Run<MemberHandbook>(h => h.LinkAsync(member.Id, "hoa.nt", CancellationToken.None)))).Denied();
        (await host.Db(db => db.AccountLinks.CountAsync())).Should().Be(0);
    }
}
