using System.Net.Http.Json;
using System.Text.Json;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Fixtures.Contracts.V1;
using DangVu.Host.Tests;

namespace DangVu.Federation.Tests;

/// <summary>
/// Two separate <c>dangvu</c> processes (a district node and a chi bộ node): enrolment through the
/// CLI, a note created at the leaf reaching the parent over mutual TLS, idempotent re-sync, updates,
/// status, health, and revocation.
/// </summary>
public sealed class EnrolmentAndSyncTests
{
    [Theory, StorageProviders]
    public async Task A_note_created_at_the_leaf_reaches_the_parent_after_enrolment_and_sync(string provider)
    {
        await using var parent = new FederationNode("node-ba-dinh", provider);
        await using var child = new FederationNode("node-cb1", provider);
        await Enrolment.PrepareAsync(parent, root: true);
        await child.Installation.InstallFixtureAsync("Notes");
        var committee = await Committee.SetUpAsync(child.Installation);
        await child.RunOkAsync("federation", "init");
        await parent.ServeAsync();
        await Enrolment.EnrolAsync(parent, child, "HN.BD.CB1");

        // A secretary writes a note at the leaf, through the module's own RPC service.
        var childServer = await child.ServeAsync(tls: false);
        var token = await committee.TokenAsync(childServer, "lan.tt");
        using var channel = GrpcChannel.ForAddress(childServer.GrpcAddress);
        var notes = new ServiceClient(channel, NotesReflection.Descriptor.Services[0]);
        var auth = new CallOptions { Headers = new Metadata().Add("authorization", "Bearer " + token) };
        var note = await notes.UnaryAsync<CreateNoteRequest, NoteReply>("CreateNote",
            new() { OrgUnitId = committee.Orgs["HN.BD.CB1"].ToString(), Title = "Họp chi bộ tháng 11" }, auth);
        await child.StopAsync();

        var sync = await child.RunOkAsync("federation", "sync");

        sync.Stdout.Should().Contain("pushed 1 applied");
        (await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas WHERE \"OriginNode\" = 'node-cb1' AND \"OwnerOrgCode\" = 'HN.BD.CB1' AND \"Version\" = 1")).Should().Be(1);
        (await parent.Installation.QueryAsync<string>("federation", "SELECT \"Payload\" FROM fed_replicas")).Should().Contain("Họp chi bộ tháng 11").And.Contain(note.Id);

        // Nothing new: a second sync applies nothing and changes nothing.
        (await child.RunOkAsync("federation", "sync")).Stdout.Should().Contain("pushed 0 applied");
        (await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas")).Should().Be(1);

        // The child's status and the parent's health both show the link.
        var status = JsonDocument.Parse((await child.RunOkAsync("federation", "status", "--json")).Stdout).RootElement;
        var up = status.GetProperty("links")[0];
        up.GetProperty("node").GetString().Should().Be("node-ba-dinh");
        up.GetProperty("role").GetString().Should().Be("parent");
        up.GetProperty("state").GetString().Should().Be("active");
        up.GetProperty("subtree").GetString().Should().Be("HN.BD.CB1");
        up.GetProperty("network").GetString().Should().Be("internal");
        up.GetProperty("changes").GetInt64().Should().Be(1);
        up.GetProperty("lastSuccessAt").ValueKind.Should().Be(JsonValueKind.String);
        var health = await parent.Server!.Http.GetFromJsonAsync<JsonElement>("/health/federation");
        var down = health.GetProperty("links")[0];
        down.GetProperty("node").GetString().Should().Be("node-cb1");
        down.GetProperty("role").GetString().Should().Be("child");
        down.GetProperty("changes").GetInt64().Should().Be(1);
        var report = await parent.Server!.Http.GetFromJsonAsync<JsonElement>("/health");
        var listed = report.GetProperty("federation").GetProperty("links")[0];
        listed.GetProperty("node").GetString().Should().Be("node-cb1");
        listed.GetProperty("state").GetString().Should().Be("active");
        listed.GetProperty("lastSuccessAt").GetString().Should().NotBeEmpty("the node's health report includes its links");

        // Revoked: the child's next sync is refused at once, and its status says why.
        await parent.RunOkAsync("federation", "revoke", "node-cb1");
        var refused = await child.Cli.RunAsync("federation", "sync");
        refused.ExitCode.Should().Be(1, refused.Output);
        refused.Stderr.Should().Contain("PermissionDenied").And.Contain("thu hồi");
        var after = JsonDocument.Parse((await child.RunOkAsync("federation", "status", "--json")).Stdout).RootElement.GetProperty("links")[0];
        after.GetProperty("lastError").GetString().Should().Contain("thu hồi");
    }

    [Fact]
    public async Task A_one_time_code_is_refused_when_wrong_and_works_only_once()
    {
        await using var parent = new FederationNode("node-root");
        await using var child = new FederationNode("node-leaf");
        await Enrolment.PrepareAsync(parent, root: true);
        await Enrolment.PrepareAsync(child, root: false);
        await parent.ServeAsync();
        var requestId = (await child.RunOkAsync("federation", "request", "--parent", parent.GrpcUrl)).Stdout.Trim();
        var code = (await parent.RunOkAsync("federation", "approve", requestId, "--subtree", "HN.BD.CB2", "--network", "internet")).Stdout.Trim();

        var wrong = await child.Cli.RunAsync("federation", "accept", "--code", "AAAAAAAAAAAA");
        wrong.ExitCode.Should().NotBe(0);
        File.Exists(Path.Combine(child.Keys, "node.crt")).Should().BeFalse();

        await child.RunOkAsync("federation", "accept", "--code", code);
        File.Exists(Path.Combine(child.Keys, "node.crt")).Should().BeTrue();
        var status = JsonDocument.Parse((await child.RunOkAsync("federation", "status", "--json")).Stdout).RootElement.GetProperty("links")[0];
        status.GetProperty("network").GetString().Should().Be("internet");
        status.GetProperty("subtree").GetString().Should().Be("HN.BD.CB2");
    }

    [Fact]
    public async Task A_root_node_is_refused_a_parent_and_nothing_reaches_the_other_node()
    {
        await using var parent = new FederationNode("node-root3");
        await using var root = new FederationNode("node-root4");
        await Task.WhenAll(Enrolment.PrepareAsync(parent, root: true), Enrolment.PrepareAsync(root, root: true));
        await parent.ServeAsync();

        var refused = await root.Cli.RunAsync("federation", "request", "--parent", parent.GrpcUrl);

        refused.ExitCode.Should().NotBe(0);
        refused.Stderr.Should().Contain("Nút gốc là cấp trên cùng").And.Contain("has no parent");
        (await parent.RunOkAsync("federation", "requests")).Stdout.Should().NotContain("node-root4");
        (await root.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_links")).Should().Be(0);
    }

    [Fact]
    public async Task Approving_an_unknown_request_or_subtree_is_refused()
    {
        await using var parent = new FederationNode("node-root2");
        await Enrolment.PrepareAsync(parent, root: true);

        var unknown = await parent.Cli.RunAsync("federation", "approve", "DEADBEEF", "--subtree", "HN.BD.CB1", "--network", "internal");
        var badNetwork = await parent.Cli.RunAsync("federation", "approve", "DEADBEEF", "--subtree", "HN.BD.CB1", "--network", "wifi");

        unknown.ExitCode.Should().Be(1);
        unknown.Stderr.Should().Contain("DEADBEEF");
        badNetwork.ExitCode.Should().NotBe(0);
    }
}
