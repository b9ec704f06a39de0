using System.IO.Compression;
using System.Text.Json;

namespace DangVu.Host.Tests;

/// <summary>The administrator's verbs: what they print, what they refuse and the exit codes scripts rely on.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private readonly TestInstallation _installation = new();

    private DangVuCommand Cli => _installation.Cli;

    [Fact]
    public async Task Version_prints_the_core_version()
    {
        var result = await Cli.RunAsync("--version");

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().StartWith("1.0.0");
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("modules", "list")]
    [InlineData("modules", "install")]
    [InlineData("modules", "remove")]
    [InlineData("modules", "enable")]
    [InlineData("modules", "disable")]
    [InlineData("modules", "pack")]
    [InlineData("db", "migrate")]
    public async Task Every_verb_has_help(params string[] verb)
    {
        var result = await Cli.RunAsync([.. verb, "--help"]);

        result.ExitCode.Should().Be(0, result.Output);
        result.Stdout.Should().Contain("Usage:").And.Contain("--home");
    }

    [Fact]
    public async Task An_unknown_verb_is_refused_with_a_non_zero_exit_code()
    {
        var result = await Cli.RunAsync("modules", "upgrade-everything");

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("upgrade-everything");
    }

    [Fact]
    public async Task Modules_list_shows_a_broken_module_as_failed_with_its_reason()
    {
        await _installation.InstallFixtureAsync("Notes");
        var manifest = Path.Combine(_installation.Plugins, "notes", "module.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(">=1.0.0 <2.0.0", ">=3.0.0"));

        var table = await Cli.RunAsync("modules", "list");
        var json = await Cli.RunAsync("modules", "list", "--json");

        table.ExitCode.Should().Be(0);
        table.Stdout.Should().Contain("notes").And.Contain("lỗi (failed)");
        var notes = JsonDocument.Parse(json.Stdout).RootElement[0];
        notes.GetProperty("state").GetString().Should().Be("MODULE_STATE_FAILED");
        notes.GetProperty("reason").GetString().Should().Contain("cần Core >=3.0.0");
    }

    [Fact]
    public async Task Installing_a_file_that_is_not_a_zip_is_refused_and_installs_nothing()
    {
        var bogus = Path.Combine(_installation.Home, "members.zip");
        File.WriteAllText(bogus, "không phải zip");

        var result = await Cli.RunAsync("modules", "install", bogus);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("không phải tệp zip hợp lệ");
        Directory.EnumerateDirectories(_installation.Plugins).Should().BeEmpty();
    }

    [Fact]
    public async Task Installing_a_zip_without_a_manifest_is_refused()
    {
        var zip = Path.Combine(_installation.Home, "empty.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntry("readme.txt");
        }

        var result = await Cli.RunAsync("modules", "install", zip);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("không có module.json ở thư mục gốc");
        Directory.EnumerateDirectories(_installation.Plugins).Should().BeEmpty();
    }

    [Fact]
    public async Task Installing_a_zip_with_a_path_outside_the_plugin_folder_is_refused()
    {
        var zip = Path.Combine(_installation.Home, "evil.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntry("../../evil.txt");
        }

        var result = await Cli.RunAsync("modules", "install", zip);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("đường dẫn không an toàn");
        File.Exists(Path.Combine(_installation.Home, "evil.txt")).Should().BeFalse();
    }

    [Fact]
    public async Task Installing_an_older_version_over_a_newer_one_needs_force()
    {
        await _installation.InstallFixtureAsync("Notes");
        var manifest = Path.Combine(_installation.Plugins, "notes", "module.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"version\": \"1.0.0\"", "\"version\": \"1.5.0\""));
        var pack = await Cli.RunAsync("modules", "pack", TestPaths.FixtureOutput("Notes"), "--output", Path.Combine(_installation.Home, "old.zip"));

        var refused = await Cli.RunAsync("modules", "install", pack.Stdout.Trim());
        var forced = await Cli.RunAsync("modules", "install", pack.Stdout.Trim(), "--force");

        refused.ExitCode.Should().Be(1);
        refused.Stderr.Should().Contain("đã cài phiên bản 1.5.0").And.Contain("--force");
        forced.ExitCode.Should().Be(0, forced.Output);
        File.ReadAllText(manifest).Should().Contain("\"version\": \"1.0.0\"");
    }

    [Fact]
    public async Task Removing_a_module_others_depend_on_is_refused()
    {
        await _installation.InstallFixtureAsync("Notes");
        await _installation.InstallFixtureAsync("Inbox");

        var result = await Cli.RunAsync("modules", "remove", "notes");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("các mô-đun inbox cần mô-đun này");
        Directory.Exists(Path.Combine(_installation.Plugins, "notes")).Should().BeTrue();
    }

    [Fact]
    public async Task Removing_keeps_the_data_unless_purged()
    {
        await _installation.InstallFixtureAsync("Notes");
        (await Cli.RunAsync("db", "migrate")).ExitCode.Should().Be(0);
        var database = Path.Combine(_installation.Home, "data", "db", "notes.db");

        (await Cli.RunAsync("modules", "remove", "notes")).ExitCode.Should().Be(0);
        File.Exists(database).Should().BeTrue("data is kept unless --purge");

        await _installation.InstallFixtureAsync("Notes");
        var purge = await Cli.RunAsync("modules", "remove", "notes", "--purge");
        purge.ExitCode.Should().Be(0, purge.Output);
        File.Exists(database).Should().BeFalse();
        Directory.Exists(Path.Combine(_installation.Plugins, "notes")).Should().BeFalse();
    }

    [Fact]
    public async Task Removing_a_module_that_is_not_installed_is_refused()
    {
        var result = await Cli.RunAsync("modules", "remove", "members");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("chưa được cài");
    }

    [Fact]
    public async Task Disabling_a_module_shows_it_disabled_and_enabling_loads_it_again()
    {
        await _installation.InstallFixtureAsync("Notes");

        (await Cli.RunAsync("modules", "disable", "notes")).ExitCode.Should().Be(0);
        (await Cli.RunAsync("modules", "list", "--json")).Stdout.Should().Contain("MODULE_STATE_DISABLED");
        (await Cli.RunAsync("modules", "enable", "notes")).ExitCode.Should().Be(0);
        (await Cli.RunAsync("modules", "list", "--json")).Stdout.Should().Contain("MODULE_STATE_LOADED");
    }

    [Fact]
    public async Task Db_migrate_applies_pending_migrations_once()
    {
        await _installation.InstallFixtureAsync("Notes");

        var first = await Cli.RunAsync("db", "migrate");
        var second = await Cli.RunAsync("db", "migrate");

        first.ExitCode.Should().Be(0, first.Output);
        first.Stdout.Should().Contain("20261123000000_Initial");
        second.Stdout.Should().Contain("đã mới nhất (up to date)").And.NotContain("20261123000000_Initial");
    }

    [Fact]
    public async Task Serve_refuses_to_start_without_a_required_module_and_says_which()
    {
        await using var server = Cli.Serve(new Dictionary<string, string> { ["DANGVU__Modules__Required"] = "members" });

        (await server.WaitForExitAsync()).Should().Be(1);
        server.Log.Should().Contain("Mô-đun 'members'").And.Contain("bắt buộc");
    }

    [Fact]
    public async Task A_misconfigured_storage_provider_is_refused_with_the_setting_to_fix()
    {
        Cli.Environment["DANGVU__Storage__Provider"] = "oracle";

        var result = await Cli.RunAsync("db", "migrate");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("Storage:Provider 'oracle' không được hỗ trợ");
    }

    [Fact]
    public async Task The_package_script_turns_a_module_project_into_an_installable_zip()
    {
        var output = Path.Combine(_installation.Home, "packages");
        var script = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        script.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "build", "package-module.sh"));
        script.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "tests", "Fixtures", "Notes"));
        script.ArgumentList.Add(output);
        script.Environment["CONFIGURATION"] = TestPaths.Configuration;
        using var process = System.Diagnostics.Process.Start(script)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, stderr);
        var zip = stdout.Trim().Split('\n').Last();
        zip.Should().EndWith("notes-1.0.0.zip");
        using (var archive = ZipFile.OpenRead(zip))
        {
            archive.Entries.Select(e => e.FullName).Should().Contain(["module.json", "DangVu.Fixtures.Notes.dll", "DangVu.Fixtures.Greeting.dll"])
                .And.NotContain(n => n.StartsWith("Microsoft.EntityFrameworkCore") || n.StartsWith("DangVu.Core.Abstractions"), "shared assemblies come from the host");
        }

        (await Cli.RunAsync("modules", "install", zip)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Packing_a_folder_without_a_manifest_is_refused()
    {
        var folder = Path.Combine(_installation.Home, "not-a-module");
        Directory.CreateDirectory(folder);

        var result = await Cli.RunAsync("modules", "pack", folder, "--output", Path.Combine(_installation.Home, "x.zip"));

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("thiếu tệp module.json");
        File.Exists(Path.Combine(_installation.Home, "x.zip")).Should().BeFalse();
    }

    [Theory]
    [InlineData("--urls", "ftp://127.0.0.1:21", "Urls: địa chỉ 'ftp://127.0.0.1:21' không hợp lệ")]
    [InlineData("--grpc-urls", "http://may-chu:5081", "phải là địa chỉ IP hoặc localhost")]
    public async Task Serve_refuses_a_listen_address_it_cannot_use(string option, string url, string expected)
    {
        var result = await Cli.RunAsync("serve", option, url);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain(expected);
    }

    [Fact]
    public async Task Serve_refuses_a_sign_in_limit_that_is_not_positive()
    {
        Cli.Environment["DANGVU__SignIn__AttemptsPerMinute"] = "0";

        var result = await Cli.RunAsync("serve");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("SignIn:AttemptsPerMinute phải là số dương");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _installation.DisposeAsync();
}
