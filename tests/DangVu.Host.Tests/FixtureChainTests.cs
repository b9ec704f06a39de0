using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DangVu.Host.Tests;

/// <summary>
/// The whole chain a module goes through, with fixture modules: packaged, installed with the CLI,
/// loaded, its tables migrated, a record saved with its change-feed entry, an event delivered to
/// a second module — on both storage providers.
/// </summary>
public sealed class FixtureChainTests
{
    [Theory, StorageProviders]
    public async Task A_packaged_module_installs_migrates_saves_with_a_feed_entry_and_its_event_reaches_another_module(string provider)
    {
        await using var installation = new TestInstallation(provider);
        await installation.InstallFixtureAsync("Notes");
        await installation.InstallFixtureAsync("Inbox");

        var list = await installation.Cli.RunAsync("modules", "list", "--json");
        list.ExitCode.Should().Be(0, list.Output);
        var modules = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray()
            .Select(m => (m.GetProperty("id").GetString(), m.GetProperty("state").GetString())).ToList();
        modules.Should().Equal(("notes", "MODULE_STATE_LOADED"), ("inbox", "MODULE_STATE_LOADED"));

        await using var server = installation.Cli.Serve();
        await server.WaitUntilReadyAsync();

        var health = await server.Http.GetAsync("/health");
        health.StatusCode.Should().Be(HttpStatusCode.OK, server.Log);
        var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
        report.GetProperty("status").GetString().Should().Be("healthy");
        report.GetProperty("storage").GetProperty("provider").GetString().Should().Be(provider);
        report.GetProperty("storage").GetProperty("ready").GetBoolean().Should().BeTrue();
        report.GetProperty("federation").GetProperty("initialised").GetBoolean().Should().BeFalse("no node key yet: a stand-alone node");
        report.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("state").GetString())
            .Should().Equal("MODULE_STATE_LOADED", "MODULE_STATE_LOADED");

        var created = await server.Http.PostAsJsonAsync("/fixtures/notes", new { title = "Nghị quyết số 1" });
        created.StatusCode.Should().Be(HttpStatusCode.OK, server.Log);
        var noteId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var received = await EventuallyAsync(async () =>
        {
            var inbox = await server.Http.GetFromJsonAsync<JsonElement>("/fixtures/inbox");
            return inbox.EnumerateArray().Select(r => (r.GetProperty("noteId").GetString(), r.GetProperty("title").GetString())).ToList();
        }, r => r.Count > 0);
        received.Should().Equal((noteId.ToString(), "Nghị quyết số 1"));

        (await installation.QueryAsync<long>("notes", $"SELECT COUNT(*) FROM dv_change_feed WHERE \"RecordType\" = 'notes.note' AND \"Operation\" = 1")).Should().Be(1);
        (await server.Http.GetStringAsync("/fixtures/notes/greeting")).Should().Be("xin chào từ v1");
        (await server.Http.GetStringAsync("/fixtures/inbox/greeting")).Should().Be("xin chào từ v2");
    }

    [Theory, StorageProviders]
    public async Task A_crash_between_commit_and_delivery_loses_no_event(string provider)
    {
        await using var installation = new TestInstallation(provider);
        await installation.InstallFixtureAsync("Notes");
        await installation.InstallFixtureAsync("Inbox");

        // The notes fixture saves a note with its event at start-up, then kills the process.
        await using (var crashing = installation.Cli.Serve(new Dictionary<string, string> { ["DANGVU_FIXTURE_CRASH_AFTER_COMMIT"] = "1" }))
        {
            (await crashing.WaitForExitAsync()).Should().NotBe(0, crashing.Log);
        }

        (await installation.QueryAsync<long>("notes", "SELECT COUNT(*) FROM notes")).Should().Be(1);
        (await installation.QueryAsync<long>("notes", "SELECT COUNT(*) FROM dv_outbox WHERE \"DispatchedAt\" IS NULL")).Should().Be(1);
        (await installation.QueryAsync<long>("inbox", "SELECT COUNT(*) FROM received_notes")).Should().Be(0);

        await using var restarted = installation.Cli.Serve();
        await restarted.WaitUntilReadyAsync();
        var received = await EventuallyAsync(
            async () => (await restarted.Http.GetFromJsonAsync<JsonElement>("/fixtures/inbox")).EnumerateArray().Select(r => r.GetProperty("title").GetString()).ToList(),
            r => r.Count > 0);

        received.Should().Equal("ghi chú trước sự cố");
        // The outbox is marked after the delivery commits, a moment later.
        (await EventuallyAsync(() => installation.QueryAsync<long>("notes", "SELECT COUNT(*) FROM dv_outbox WHERE \"DispatchedAt\" IS NULL"), n => n == 0))
            .Should().Be(0);
    }

    [Fact]
    public async Task A_stale_update_through_a_module_endpoint_is_refused_and_changes_nothing()
    {
        await using var installation = new TestInstallation();
        await installation.InstallFixtureAsync("Notes");
        await using var server = installation.Cli.Serve();
        await server.WaitUntilReadyAsync();
        var created = await (await server.Http.PostAsJsonAsync("/fixtures/notes", new { title = "Bản đầu" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        (await server.Http.PutAsJsonAsync($"/fixtures/notes/{id}", new { title = "Sửa lần 1", version = 1 })).StatusCode.Should().Be(HttpStatusCode.OK);
        var stale = await server.Http.PutAsJsonAsync($"/fixtures/notes/{id}", new { title = "Sửa từ bản cũ", version = 1 });

        stale.StatusCode.Should().Be(HttpStatusCode.Conflict, server.Log);
        (await stale.Content.ReadAsStringAsync()).Should().Contain("không có gì được lưu");
        (await installation.QueryAsync<string>("notes", "SELECT \"Title\" FROM notes")).Should().Be("Sửa lần 1");
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }
}
