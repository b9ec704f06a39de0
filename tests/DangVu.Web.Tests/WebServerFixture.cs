using System.Net;

namespace DangVu.Web.Tests;

/// <summary>
/// One installation shared by the web tests: an organisation tree (tỉnh › cơ sở › chi bộ A, B),
/// the fixture module "pages", and accounts with roles, served by the real <c>dangvu serve</c>.
/// </summary>
public sealed class WebServerFixture : IAsyncLifetime
{
    public const string Password = "Bimat-2026-xyz";

    private TestInstallation? _installation;
    private DangVuServer? _server;

    internal TestInstallation Installation => _installation!;

    internal DangVuServer Server => _server!;

    public Uri Address => Server.Address;

    /// <summary>Temporary passwords of accounts that were never signed in with.</summary>
    public Dictionary<string, string> TemporaryPasswords { get; } = [];

    public async Task InitializeAsync()
    {
        _installation = new TestInstallation();
        TestPaths.InstallFixture(Installation.Plugins, "Pages", "pages");
        var csv = Path.Combine(Installation.Home, "org.csv");
        await File.WriteAllTextAsync(csv,
            "code,name,kind,parent,valid_from,valid_to\n" +
            "T01,Đảng bộ tỉnh Thử Nghiệm,Đảng bộ tỉnh/thành phố,,2020-01-01,\n" +
            "CS01,Đảng bộ cơ sở Phường Một,Đảng bộ cơ sở,T01,2020-01-01,\n" +
            "CBA,Chi bộ A,Chi bộ trực thuộc,CS01,2020-01-01,\n" +
            "CBB,Chi bộ B,Chi bộ trực thuộc,CS01,2020-01-01,\n");
        await RunAsync("org", "import", csv);
        await AddUserAsync("admin", "Quản Trị Viên", admin: true);
        await AddUserAsync("vana", "Nguyễn Văn An", ("clerk", "CBA"));
        await AddUserAsync("vanb", "Trần Thị Bình", ("clerk", "CBB"));
        await AddUserAsync("quantria", "Lê Quản Trị A", ("admin", "CBA"));
        await AddUserAsync("hai", "Phạm Văn Hai", ("clerk", "CBA"), ("clerk", "CBB"));
        await AddUserAsync("khoa", "Đỗ Văn Khóa", ("clerk", "CBA"));
        await AddUserAsync("moi", "Vũ Thị Mới", ("clerk", "CBA"));
        await AddUserAsync("phien", "Hoàng Văn Phiên", ("clerk", "CBA"));
        await AddUserAsync("hailop", "Bùi Văn Hai Lớp", ("clerk", "CBA"));
        await AddUserAsync("trinh", "Ngô Thị Trình Duyệt", ("clerk", "CBA"));

        // A root node, so that children can ask to enrol (/admin/federation).
        await RunAsync("federation", "init", "--root");
        _server = Installation.Cli.Serve(new Dictionary<string, string> { ["DANGVU__SignIn__AttemptsPerMinute"] = "10000" }, tlsGrpc: true);
        await Server.WaitUntilReadyAsync();
        foreach (var user in new[] { "admin", "vana", "vanb", "quantria", "hai", "phien", "hailop", "trinh" })
        {
            await ActivateAsync(user);
        }
    }

    /// <summary>A new visitor without cookies.</summary>
    internal WebSession NewSession() => new(Address);

    /// <summary>A visitor signed in as <paramref name="userName"/> (whose password is <see cref="Password"/>).</summary>
    internal async Task<WebSession> SignedInAsync(string userName)
    {
        var session = NewSession();
        await session.SignInAsync(userName, Password);
        return session;
    }

    internal async Task<CommandResult> RunAsync(params string[] args)
    {
        var result = await Installation.Cli.RunAsync(args);
        result.ExitCode.Should().Be(0, result.Output);
        return result;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_installation is not null)
        {
            await _installation.DisposeAsync();
        }
    }

    private async Task AddUserAsync(string userName, string name, params (string Role, string Org)[] grants) =>
        await AddUserAsync(userName, name, false, grants);

    private async Task AddUserAsync(string userName, string name, bool admin, params (string Role, string Org)[] grants)
    {
        var add = admin
            ? await RunAsync("users", "add", userName, "--name", name, "--admin")
            : await RunAsync("users", "add", userName, "--name", name);
        TemporaryPasswords[userName] = add.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        foreach (var (role, org) in grants)
        {
            await RunAsync("users", "grant", userName, role, "--org", org);
        }
    }

    /// <summary>First sign-in: the temporary password must be changed, here to <see cref="Password"/>.</summary>
    private async Task ActivateAsync(string userName)
    {
        using var session = NewSession();
        await session.SignInAsync(userName, TemporaryPasswords[userName], "/account/password");
        var changed = await session.SubmitAsync("/account/password", "password", new Dictionary<string, string>
        {
            ["current"] = TemporaryPasswords[userName],
            ["new"] = Password,
            ["confirm"] = Password,
        });
        changed.Status.Should().Be(HttpStatusCode.Found, changed.Html);
        TemporaryPasswords.Remove(userName);
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebServerFixture>
{
    public const string Name = "web";
}
