using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Fixtures.Contracts.V1;

namespace DangVu.Host.Tests;

/// <summary>
/// Default deny by organisation: a secretary of chi bộ 1 reads and writes chi bộ 1's records
/// through a module's RPC service, and nothing of chi bộ 2.
/// </summary>
public sealed class OrgScopeTests
{
    [Fact]
    public async Task A_user_scoped_to_one_chi_bo_can_neither_read_nor_write_another_chi_bo_over_rpc()
    {
        await using var installation = new TestInstallation();
        await installation.InstallFixtureAsync("Notes");
        var (committee, server) = await Committee.ServeAsync(installation);
        await using var _ = server;
        var lan = await committee.TokenAsync(server, "lan.tt");
        var binh = await committee.TokenAsync(server, "binh.lv");
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var notes = new ServiceClient(channel, NotesReflection.Descriptor.Services[0]);
        var cb1 = committee.Orgs["HN.BD.CB1"].ToString();
        var cb2 = committee.Orgs["HN.BD.CB2"].ToString();

        var created = await notes.UnaryAsync<CreateNoteRequest, NoteReply>("CreateNote", new() { OrgUnitId = cb1, Title = "Họp chi bộ tháng 11" }, As(lan));
        var writeElsewhere = async () => await notes.UnaryAsync<CreateNoteRequest, NoteReply>("CreateNote", new() { OrgUnitId = cb2, Title = "Xâm nhập" }, As(lan));
        var readElsewhere = async () => await notes.UnaryAsync<ListNotesRequest, ListNotesReply>("ListNotes", new() { OrgUnitId = cb2 }, As(lan));
        var readOthers = async () => await notes.UnaryAsync<ListNotesRequest, ListNotesReply>("ListNotes", new() { OrgUnitId = cb1 }, As(binh));

        created.Title.Should().Be("Họp chi bộ tháng 11");
        (await writeElsewhere.Should().ThrowAsync<RpcException>()).Which.Status.Should().Match<Status>(s =>
            s.StatusCode == StatusCode.PermissionDenied && s.Detail.Contains("Bạn không có quyền 'notes.write' đối với Chi bộ Khu dân cư số 2"));
        (await readElsewhere.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.PermissionDenied);
        (await readOthers.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.PermissionDenied);
        (await notes.UnaryAsync<ListNotesRequest, ListNotesReply>("ListNotes", new() { OrgUnitId = cb2 }, As(binh))).Notes.Should().BeEmpty("the refused write saved nothing");
        (await notes.UnaryAsync<ListNotesRequest, ListNotesReply>("ListNotes", new() { OrgUnitId = cb1 }, As(lan))).Notes.Should().ContainSingle();
    }

    [Fact]
    public async Task Rpc_calls_without_a_valid_token_are_refused()
    {
        await using var installation = new TestInstallation();
        await installation.InstallFixtureAsync("Notes");
        var (committee, server) = await Committee.ServeAsync(installation);
        await using var _ = server;
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var notes = new ServiceClient(channel, NotesReflection.Descriptor.Services[0]);
        var request = new ListNotesRequest { OrgUnitId = committee.Orgs["HN.BD.CB1"].ToString() };

        var anonymous = async () => await notes.UnaryAsync<ListNotesRequest, ListNotesReply>("ListNotes", request);
        var forged = async () => await notes.UnaryAsync<ListNotesRequest, ListNotesReply>("ListNotes", request, As("eyJzdWIiOiJ4In0.c2lnbmF0dXJl"));

        (await anonymous.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.PermissionDenied);
        (await forged.Should().ThrowAsync<RpcException>()).Which.Status.StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    private static CallOptions As(string token) => Committee.Bearer(token);
}
