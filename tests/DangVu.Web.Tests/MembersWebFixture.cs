using System.Net.Http.Json;

namespace DangVu.Web.Tests;

/// <summary>
/// One installation with the Members module for the members' page tests: the ward committee of
/// <see cref="Committee"/> (chi bộ 1's secretary lan.tt, chi bộ 2's binh.lv) and hoa.nt, an
/// account without any role (a member who will be linked to her file), served by <c>dangvu serve</c>.
/// </summary>
public sealed class MembersWebFixture : IAsyncLifetime
{
    public const string Member = "hoa.nt";

    private TestInstallation? _installation;
    private DangVuServer? _server;

    internal TestInstallation Installation => _installation!;

    internal Committee Committee { get; private set; } = null!;

    internal DangVuServer Server => _server!;

    public async Task InitializeAsync()
    {
        _installation = new TestInstallation();
        await Installation.InstallModuleAsync("Members");
        Committee = await Committee.SetUpAsync(Installation);
        var added = await Installation.Cli.RunAsync("users", "add", Member, "--name", "Nguyễn Thị Hoa");
        added.ExitCode.Should().Be(0, added.Output);
        _server = Installation.Cli.Serve(new Dictionary<string, string> { ["DANGVU__SignIn__AttemptsPerMinute"] = "10000" });
        await Server.WaitUntilReadyAsync();
        await Committee.TokenAsync(Server, "lan.tt");
        await Committee.TokenAsync(Server, "binh.lv");
        var changed = await Server.Http.PostAsJsonAsync("/auth/password",
            new { userName = Member, password = added.Stdout.Trim().Split('\n').Last().Trim(), newPassword = Committee.NewPassword });
        changed.IsSuccessStatusCode.Should().BeTrue(await changed.Content.ReadAsStringAsync());
    }

    /// <summary>A visitor signed in as <paramref name="userName"/>.</summary>
    internal async Task<WebSession> SignedInAsync(string userName)
    {
        var session = new WebSession(Server.Address);
        await session.SignInAsync(userName, Committee.NewPassword);
        return session;
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
}

/// <summary>Member files as the forms take them.</summary>
internal static class MemberForms
{
    /// <summary>Today in Vietnam, as the Members module counts (without a clock offset).</summary>
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));

    private static int _serial = 100_000;

    /// <summary>A valid CCCD: Hà Nội, the gender/century digit, the year, then a serial unique in the test run.</summary>
    public static string CitizenId(bool female, DateOnly born) =>
        $"001{(born.Year >= 2000 ? 2 : 0) + (female ? 1 : 0)}{born.Year % 100:00}{Interlocked.Increment(ref _serial):000000}";

    public static Dictionary<string, string> Profile(string name, bool female, DateOnly born) => new()
    {
        ["full_name"] = name,
        ["gender"] = female ? "Female" : "Male",
        ["date_of_birth"] = born.ToString("yyyy-MM-dd"),
        ["citizen_id"] = CitizenId(female, born),
        ["ethnicity_code"] = "01",
        ["religion_code"] = "00",
        ["theory_level"] = "Intermediate",
        ["hometown"] = "Hà Nội",
    };

    /// <summary>The data-entry form's fields for an official member of <paramref name="cell"/>.</summary>
    public static Dictionary<string, string> OfficialFile(string cell, string name, bool female = true, DateOnly? born = null)
    {
        var fields = Profile(name, female, born ?? new DateOnly(1985, 4, 2));
        fields["org_unit_id"] = cell;
        fields["status"] = "Official";
        fields["admission_date"] = "2010-03-01";
        fields["admission_decision"] = "01-QĐ/ĐU";
        fields["ceremony_date"] = "2010-03-10";
        fields["official_date"] = "2011-03-10";
        fields["official_decision"] = "02-NQ/CB";
        return fields;
    }

    /// <summary>An official member of <paramref name="cell"/> entered through the data-entry form; returns the profile's path.</summary>
    public static async Task<string> EnterAsync(WebSession session, string cell, string name, bool female = true)
    {
        var saved = await session.SubmitAsync("/members/new", "register", OfficialFile(cell, name, female));
        saved.Status.Should().Be(System.Net.HttpStatusCode.Found, saved.Html);
        return saved.Location!.Split('?')[0];
    }
}
