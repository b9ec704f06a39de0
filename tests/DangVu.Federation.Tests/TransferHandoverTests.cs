using DangVu.Contracts.Members.V1;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Host.Tests;

namespace DangVu.Federation.Tests;

/// <summary>
/// A transfer between two chi bộ on different nodes, on four host processes: city (root) → ward
/// → chi bộ 1 of the ward, and city → chi bộ 1 of another ward (Hoàn Kiếm). The letter goes up
/// from chi bộ 1 through the ward and the city and down to Hoàn Kiếm; its confirmation there is a
/// handover that comes back down through the city and the ward, after which the file is owned at
/// Hoàn Kiếm (origin, owner, continued version) everywhere and is transferred-out history at the
/// sender.
/// </summary>
public sealed class TransferHandoverTests
{
    private const string Tree = """
        code,name,kind,parent,valid_from,valid_to
        HN,Đảng bộ Thành phố Hà Nội,Đảng bộ tỉnh/thành phố,,2025-07-01,
        HN.BD,Đảng bộ phường Ba Đình,Đảng bộ trực thuộc,HN,2025-07-01,
        HN.BD.CB1,Chi bộ Khu dân cư số 1,Chi bộ cơ sở,HN.BD,2025-07-01,
        HN.HK,Đảng bộ phường Hoàn Kiếm,Đảng bộ trực thuộc,HN,2025-07-01,
        HN.HK.CB1,Chi bộ Tổ dân phố số 1,Chi bộ cơ sở,HN.HK,2025-07-01,
        """;

    [Theory, StorageProviders]
    public async Task A_letter_to_another_nodes_chi_bo_travels_through_the_tree_and_its_confirmation_hands_the_file_over(string provider)
    {
        await using var city = new FederationNode("node-hn", provider);
        await using var ward = new FederationNode("node-bd", provider);
        await using var sender = new FederationNode("node-bd-cb1", provider);
        await using var receiver = new FederationNode("node-hk-cb1", provider);
        ward.Cli.Environment["DANGVU__Node__Owns"] = "HN.BD";
        sender.Cli.Environment["DANGVU__Node__Owns"] = "HN.BD.CB1";
        receiver.Cli.Environment["DANGVU__Node__Owns"] = "HN.HK.CB1";
        var nodes = new[] { city, ward, sender, receiver };
        foreach (var node in nodes)
        {
            await node.Installation.InstallModuleAsync("Members");
        }

        await Task.WhenAll(nodes.Select(n => Enrolment.PrepareAsync(n, root: n == city, Tree)));
        await city.ServeAsync();
        await Enrolment.EnrolAsync(city, ward, "HN.BD");
        await Enrolment.EnrolAsync(city, receiver, "HN.HK.CB1");
        await ward.ServeAsync();
        await Enrolment.EnrolAsync(ward, sender, "HN.BD.CB1");
        await sender.ServeAsync(new Dictionary<string, string> { ["DANGVU__Modules__members__DemoMembers"] = "3" });
        await receiver.ServeAsync();

        // At the sender: the secretary's office issues the letter to the other node's chi bộ.
        var senderAdmin = await MembersFederationTests.AdminAsync(sender, "HN.BD.CB1");
        using var senderChannel = Enrolment.ChannelTo(sender, null);
        var atSender = new ServiceClient(senderChannel, MembersReflection.Descriptor.Services[0]);
        var listed = await atSender.UnaryAsync<SearchMembersRequest, SearchMembersResponse>("SearchMembers",
            new() { OrgUnitId = await MembersFederationTests.OrgIdAsync(sender, "HN.BD.CB1"), PageSize = 50, Page = 1 }, senderAdmin);
        var summary = listed.Items.First(m => m.Status is MemberStatus.Official or MemberStatus.Probationary);
        var member = await atSender.UnaryAsync<GetMemberRequest, Member>("GetMember", new() { MemberId = summary.Id }, senderAdmin);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var letter = await atSender.UnaryAsync<StartTransferRequest, TransferLetter>("StartTransfer", new()
        {
            MemberId = member.Id,
            ExpectedVersion = member.Version,
            Kind = TransferKind.Official,
            LetterNumber = "15-GGT/ĐU",
            DecisionDate = Date(today.AddDays(-3)),
            LetterDate = Date(today.AddDays(-1)),
            ToOrgUnitId = await MembersFederationTests.OrgIdAsync(sender, "HN.HK.CB1"),
            Reason = "Chuyển nơi cư trú",
        }, senderAdmin);
        letter.ToOrgCode.Should().Be("HN.HK.CB1");

        // Up from the sender through the ward to the city, then down to the receiver.
        await sender.RunOkAsync("federation", "sync");
        await ward.RunOkAsync("federation", "sync");
        await receiver.RunOkAsync("federation", "sync");

        var receiverAdmin = await MembersFederationTests.AdminAsync(receiver, "HN.HK.CB1");
        using var receiverChannel = Enrolment.ChannelTo(receiver, null);
        var atReceiver = new ServiceClient(receiverChannel, MembersReflection.Descriptor.Services[0]);
        var hkCell = await MembersFederationTests.OrgIdAsync(receiver, "HN.HK.CB1");
        var due = await atReceiver.UnaryAsync<ListDueRequest, PendingTransfers>("ListPendingTransfers", new() { OrgUnitId = hkCell }, receiverAdmin);
        var pending = due.Items.Should().ContainSingle().Which;
        pending.Id.Should().Be(letter.Id);
        pending.MemberFullName.Should().Be(member.Profile.FullName, "the member file came with the letter");
        pending.ToOrgUnitId.Should().Be(hkCell, "the receiver sees the letter with its own organisation ids");
        pending.PresentDeadline.Should().Be(letter.PresentDeadline, "the 30-day clock is the sender's, from the rule data");

        Task<TransferLetter> ConfirmAt(ServiceClient node, CallOptions user) =>
            node.UnaryAsync<ConfirmTransferRequest, TransferLetter>("ConfirmTransfer", new() { LetterId = letter.Id, ReceivedOn = Date(today) }, user);

        // The ward holds a copy of the letter but keeps neither chi bộ of it: it cannot confirm, even with the right to.
        var wardAdmin = await MembersFederationTests.AdminAsync(ward, "HN");
        using var wardChannel = Enrolment.ChannelTo(ward, null);
        var atWard = new ServiceClient(wardChannel, MembersReflection.Descriptor.Services[0]);
        (await FluentActions.Awaiting(() => ConfirmAt(atWard, wardAdmin)).Should().ThrowAsync<RpcException>()).Which.Status.Detail.Should().Contain("không thuộc nút này");

        // Nor can the city, whose tree holds the receiving chi bộ but which approved it for a child node.
        var cityAdmin = await MembersFederationTests.AdminAsync(city, "HN");
        using var cityChannel = Enrolment.ChannelTo(city, null);
        var atCity = new ServiceClient(cityChannel, MembersReflection.Descriptor.Services[0]);
        (await FluentActions.Awaiting(() => ConfirmAt(atCity, cityAdmin)).Should().ThrowAsync<RpcException>()).Which.Status.Detail.Should().Contain("không thuộc nút này");

        (await ConfirmAt(atReceiver, receiverAdmin)).ReceivedOn.Should().Be(Date(today));
        (await FluentActions.Awaiting(() => ConfirmAt(atReceiver, receiverAdmin)).Should().ThrowAsync<RpcException>())
            .Which.Status.StatusCode.Should().Be(StatusCode.FailedPrecondition, "a second confirmation is refused");
        (await atReceiver.UnaryAsync<ListDueRequest, PendingTransfers>("ListPendingTransfers", new() { OrgUnitId = hkCell }, receiverAdmin)).Items.Should().BeEmpty();

        // The handover goes up to the city and down through the ward to the sender.
        await receiver.RunOkAsync("federation", "sync");
        await ward.RunOkAsync("federation", "sync");
        await sender.RunOkAsync("federation", "sync");

        var id = IdLiteral(provider, member.Id);
        var row = $"FROM members WHERE \"Id\" = '{id}'";
        var takenOver = member.Version + 2; // the letter moved the file to "in transfer", the receiver's take-over is the next version
        foreach (var (node, what) in new[] { (receiver, "the receiver"), (city, "the city") })
        {
            (await node.Installation.QueryAsync<string>("members", $"SELECT \"OriginNode\" {row}")).Should().Be("node-hk-cb1", $"{what} sees the file as the receiver's");
            (await node.Installation.QueryAsync<long>("members", $"SELECT \"Version\" {row}")).Should().Be(takenOver, $"{what} has the continued version line");
            (await node.Installation.QueryAsync<string>("members", $"SELECT CAST(\"OwnerOrgUnitId\" AS TEXT) {row}")).ToLowerInvariant()
                .Should().Be(await MembersFederationTests.OrgIdAsync(node, "HN.HK.CB1"), $"{what} sees the file in the receiving chi bộ");
        }

        foreach (var (node, what) in new[] { (sender, "the sender"), (ward, "the ward, above the sender only") })
        {
            (await node.Installation.QueryAsync<string>("members", $"SELECT \"OriginNode\" {row}")).Should().Be("node-hk-cb1", $"{what} knows who keeps the file");
            (await node.Installation.QueryAsync<long>("members", $"SELECT \"Status\" {row}")).Should().Be(5, $"{what} keeps it as transferred-out history");
            (await node.Installation.QueryAsync<string>("members", $"SELECT CAST(\"OwnerOrgUnitId\" AS TEXT) {row}")).ToLowerInvariant()
                .Should().Be(await MembersFederationTests.OrgIdAsync(node, "HN.BD.CB1"), $"{what} keeps it under the sending chi bộ");
        }

        (await city.Installation.QueryAsync<long>("members", $"SELECT COUNT(*) FROM members WHERE \"CitizenId\" = '{member.Profile.CitizenId}'")).Should().Be(1, "one file, never a second owner's copy");
        var inHk = await atCity.UnaryAsync<SearchMembersRequest, SearchMembersResponse>("SearchMembers",
            new() { OrgUnitId = await MembersFederationTests.OrgIdAsync(city, "HN.HK"), PageSize = 50, Page = 1 }, cityAdmin);
        inHk.Items.Select(m => m.Id).Should().Contain(member.Id);

        // At the sender: history only, read-only, and the refusal names the new owner.
        var atSenderNow = await atSender.UnaryAsync<GetMemberRequest, Member>("GetMember", new() { MemberId = member.Id }, senderAdmin);
        atSenderNow.Status.Should().Be(MemberStatus.TransferredOut);
        var edit = async () => await atSender.UnaryAsync<UpdateProfileRequest, Member>("UpdateProfile",
            new() { MemberId = member.Id, Profile = atSenderNow.Profile, Reason = "Sửa sau khi đã chuyển" }, senderAdmin);
        var refusal = (await edit.Should().ThrowAsync<RpcException>()).Which.Status;
        refusal.StatusCode.Should().Be(StatusCode.FailedPrecondition);
        refusal.Detail.Should().Contain("node-hk-cb1").And.Contain("Chi bộ Tổ dân phố số 1");
        var history = await atSender.UnaryAsync<GetMemberRequest, MemberHistory>("GetHistory", new() { MemberId = member.Id }, senderAdmin);
        history.Entries.Select(e => e.Action).Should().Contain("transfer-handed-over");
        (await atSender.UnaryAsync<ListDueRequest, PendingTransfers>("ListPendingTransfers",
            new() { OrgUnitId = await MembersFederationTests.OrgIdAsync(sender, "HN.BD.CB1") }, senderAdmin)).Items.Should().BeEmpty("the letter is closed");

        // Later edits at the receiver flow up; a replay of everything changes nothing.
        var atReceiverNow = await atReceiver.UnaryAsync<GetMemberRequest, Member>("GetMember", new() { MemberId = member.Id }, receiverAdmin);
        atReceiverNow.Status.Should().Be(member.Status);
        var profile = atReceiverNow.Profile.Clone();
        profile.Address = "Số 5 phố Hàng Bài, phường Hoàn Kiếm";
        await atReceiver.UnaryAsync<UpdateProfileRequest, Member>("UpdateProfile",
            new() { MemberId = member.Id, ExpectedVersion = atReceiverNow.Version, Profile = profile, Reason = "Nơi ở mới" }, receiverAdmin);
        foreach (var node in new[] { sender, receiver, ward, sender })
        {
            await node.RunOkAsync("federation", "sync");
        }

        (await city.Installation.QueryAsync<string>("members", $"SELECT \"Address\" {row}")).Should().Be("Số 5 phố Hàng Bài, phường Hoàn Kiếm");
        (await city.Installation.QueryAsync<long>("members", $"SELECT \"Version\" {row}")).Should().Be(takenOver + 1);
        (await sender.Installation.QueryAsync<long>("members", $"SELECT \"Status\" {row}")).Should().Be(5, "still transferred out at the sender");
        (await sender.Installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM member_transfers WHERE \"State\" = 2")).Should().Be(1, "the letter closed once");
    }

    private static CalendarDate Date(DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    // SQLite keeps GUIDs as upper-case text; PostgreSQL compares a uuid with its text form.
    private static string IdLiteral(string provider, string id) => provider == "sqlite" ? id.ToUpperInvariant() : id;
}
