using System.Net.Http.Json;
using System.Text.Json;

namespace DangVu.Host.Tests;

/// <summary>
/// A small committee set up through the CLI, as an administrator would: a ward Party committee
/// with two chi bộ, and one secretary for each chi bộ.
/// </summary>
internal sealed class Committee
{
    public const string NewPassword = "MatKhau-moi-2026";

    public const string Csv = """
        code,name,kind,parent,valid_from,valid_to
        HN,Đảng bộ Thành phố Hà Nội,Đảng bộ tỉnh/thành phố,,2025-07-01,
        HN.BD,Đảng bộ phường Ba Đình,Đảng bộ trực thuộc,HN,2025-07-01,
        HN.BD.CB1,Chi bộ Khu dân cư số 1,Chi bộ cơ sở,HN.BD,2025-07-01,
        HN.BD.CB2,Chi bộ Khu dân cư số 2,Chi bộ cơ sở,HN.BD,2025-07-01,
        """;

    public Dictionary<string, Guid> Orgs { get; } = [];

    public Dictionary<string, string> TemporaryPasswords { get; } = [];

    /// <summary>Sets up the committee, starts <c>dangvu serve</c> and waits until it answers.</summary>
    public static async Task<(Committee Committee, DangVuServer Server)> ServeAsync(TestInstallation installation, IDictionary<string, string>? environment = null)
    {
        var committee = await SetUpAsync(installation);
        var server = installation.Cli.Serve(environment);
        await server.WaitUntilReadyAsync();
        return (committee, server);
    }

    /// <summary>Call options carrying a bearer token, as an RPC client sends them.</summary>
    public static DangVu.Core.Abstractions.Rpc.CallOptions Bearer(string token) =>
        new() { Headers = new DangVu.Core.Abstractions.Rpc.Metadata().Add("authorization", "Bearer " + token) };

    public static async Task<Committee> SetUpAsync(TestInstallation installation)
    {
        var committee = new Committee();
        var csv = Path.Combine(installation.Home, "org.csv");
        await File.WriteAllTextAsync(csv, Csv);
        (await installation.Cli.RunAsync("org", "import", csv)).ExitCode.Should().Be(0);
        var orgs = await installation.Cli.RunAsync("org", "list", "--json");
        foreach (var org in JsonDocument.Parse(orgs.Stdout).RootElement.EnumerateArray())
        {
            committee.Orgs[org.GetProperty("code").GetString()!] = org.GetProperty("id").GetGuid();
        }

        await committee.AddSecretaryAsync(installation, "lan.tt", "Trần Thị Lan", "HN.BD.CB1");
        await committee.AddSecretaryAsync(installation, "binh.lv", "Lê Văn Bình", "HN.BD.CB2");
        return committee;
    }

    /// <summary>Replaces the first password and returns a bearer token for RPC.</summary>
    public async Task<string> TokenAsync(DangVuServer server, string userName)
    {
        var changed = await server.Http.PostAsJsonAsync("/auth/password",
            new { userName, password = TemporaryPasswords[userName], newPassword = NewPassword });
        changed.IsSuccessStatusCode.Should().BeTrue(await changed.Content.ReadAsStringAsync());
        var token = await server.Http.PostAsJsonAsync("/auth/token", new { userName, password = NewPassword });
        token.IsSuccessStatusCode.Should().BeTrue(await token.Content.ReadAsStringAsync());
        return (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task AddSecretaryAsync(TestInstallation installation, string userName, string name, string org)
    {
        var added = await installation.Cli.RunAsync("users", "add", userName, "--name", name);
        added.ExitCode.Should().Be(0, added.Output);
        TemporaryPasswords[userName] = added.Stdout.Trim().Split('\n').Last().Trim();
        var granted = await installation.Cli.RunAsync("users", "grant", userName, "secretary", "--org", org);
        granted.ExitCode.Should().Be(0, granted.Output);
    }
}
