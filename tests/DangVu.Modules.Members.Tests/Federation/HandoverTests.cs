using System.Text.Json;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Federation;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Modules.Members.Tests.Federation;

/// <summary>
/// The sending node's side of a transfer to another node's chi bộ (chi bộ C kept elsewhere): the
/// handover that comes back closes the letter once and leaves the file as read-only history.
/// </summary>
public sealed class HandoverTests
{
    [Theory, StorageProviders]
    public async Task The_receivers_handover_closes_the_letter_once_and_the_file_stays_as_read_only_history(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        host.NodeScope.Elsewhere.Add(TestOrganisation.CellC);
        var member = await host.RegisterOfficialAsync("Đỗ Văn Chuyển", TestOrganisation.CellA, new DateOnly(2012, 5, 3));
        host.As(MembersHost.Secretary);
        var letter = await host.Run<TransferService, TransferLetterRecord>(s => s.StartAsync(
            new StartTransferCommand(member.Id, 0, TransferKind.Official, "21-GGT/ĐU", new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 20), TestOrganisation.CellC, "chuyển nơi cư trú"),
            CancellationToken.None));
        letter.ToOrgCode.Should().Be("HN.01.02");
        var sent = await host.Db(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == member.Id));
        sent.TransferToOrgCode.Should().Be("HN.01.02", "the file is addressed to the receiving chi bộ with the letter");

        // Here chi bộ C is another node's: its secretary's confirmation would be refused, even with the right.
        host.As(MembersHost.SecretaryC);
        await ((Func<Task>)(() => host.Run<TransferService, TransferLetterRecord>(s => s.ConfirmAsync(new ConfirmTransferCommand(letter.Id, MembersHost.Today), CancellationToken.None))))
            .RefusedBy("transfer.not-addressed-here");

        var handover = new IncomingReplica("members.handover", Guid.CreateVersion7(), "node-hk", 1, false, TestOrganisation.CellC, Classification.Normal,
            JsonSerializer.SerializeToUtf8Bytes(new HandoverRecord
            {
                LetterId = letter.Id,
                MemberId = member.Id,
                FromNode = letter.OriginNode,
                ToNode = "node-hk",
                FromOrgCode = letter.FromOrgCode,
                ToOrgCode = letter.ToOrgCode,
                ReceivedOn = MembersHost.Today,
                MemberVersion = sent.Version + 1,
            }));
        Task Apply() => host.Run<IServiceProvider>(sp =>
            new MembersReplicaHandler(sp.GetRequiredService<MembersDbContext>(), ActivatorUtilities.CreateInstance<HandoverFollower>(sp)).ApplyAsync([handover], CancellationToken.None));
        await Apply();

        var after = await host.Db(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == member.Id));
        after.Status.Should().Be(MemberStatus.TransferredOut);
        after.OriginNode.Should().Be("node-hk", "the file is the receiver's now");
        after.OwnerOrgUnitId.Should().Be(TestOrganisation.CellA, "history of the sending chi bộ");
        after.Version.Should().Be(sent.Version, "below the receiver's first version");
        var closed = await host.Db(db => db.Transfers.AsNoTracking().SingleAsync(t => t.Id == letter.Id));
        closed.State.Should().Be(TransferState.Received);
        closed.ReceivedOn.Should().Be(MembersHost.Today);

        await Apply(); // a replay
        (await host.Db(db => db.Transfers.AsNoTracking().SingleAsync(t => t.Id == letter.Id))).Version.Should().Be(closed.Version);
        (await host.Db(db => db.History.CountAsync(h => h.MemberId == member.Id && h.Action == "transfer-handed-over"))).Should().Be(1);

        host.As(MembersHost.Secretary);
        var refusal = await ((Func<Task>)(() => host.Run<AdmissionService, Member>(s => s.UpdateProfileAsync(
            new UpdateProfileCommand(member.Id, 0, Sample.Profile("Đỗ Văn Chuyển", Gender.Male, member.DateOfBirth), "sửa sau khi chuyển"), CancellationToken.None))))
            .RefusedBy("member.transferred-out");
        refusal.MessageVi.Should().Contain("Chi bộ Khu dân cư số 3").And.Contain("node-hk");
    }
}
