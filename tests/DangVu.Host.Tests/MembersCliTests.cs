using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DangVu.Host.Tests;

/// <summary>
/// <c>dangvu members import|export</c>: the module's verbs reached through the host's command line,
/// run as the real program against an installation with the Members plugin, on both providers.
/// </summary>
public sealed class MembersCliTests
{
    private const string Header = "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã chi bộ,Trạng thái,Ngày vào Đảng,Số quyết định kết nạp,Ngày lễ kết nạp,Ngày chính thức,Số quyết định chính thức";

    [Theory, StorageProviders]
    public async Task An_import_writes_every_row_with_progress_and_the_export_round_trips_into_a_fresh_installation(string provider)
    {
        await using var installation = await MembersInstallationAsync(provider);
        var file = await WriteAsync(installation, "members.csv", Rows(3));

        var import = await installation.Cli.RunAsync("members", "import", file);

        import.ExitCode.Should().Be(0, import.Output);
        import.Stdout.Should().Contain("Đang kiểm tra (checking)").And.Contain("Đang ghi (writing)").And.Contain("Đã nhập 3 đảng viên (imported 3 members)");
        (await CountAsync(installation)).Should().Be(3);

        var csv = Path.Combine(installation.Home, "export.csv");
        var xlsx = Path.Combine(installation.Home, "export.xlsx");
        (await installation.Cli.RunAsync("members", "export", "-o", csv)).ExitCode.Should().Be(0);
        var exportXlsx = await installation.Cli.RunAsync("members", "export", "--org", "HN.BD", "--format", "xlsx", "--output", xlsx);
        exportXlsx.ExitCode.Should().Be(0, exportXlsx.Output);
        (await File.ReadAllTextAsync(csv)).Should().Contain("Nguyễn Văn An 1").And.Contain("001080000003");

        await using var fresh = await MembersInstallationAsync(provider);
        var reimport = await fresh.Cli.RunAsync("members", "import", xlsx);
        reimport.ExitCode.Should().Be(0, reimport.Output);
        (await CountAsync(fresh)).Should().Be(3);
        var again = Path.Combine(fresh.Home, "again.csv");
        (await fresh.Cli.RunAsync("members", "export", "--org", "HN", "-o", again)).ExitCode.Should().Be(0);
        (await File.ReadAllBytesAsync(again)).Should().Equal(await File.ReadAllBytesAsync(csv), "what is exported imports back unchanged");
    }

    [Theory, StorageProviders]
    public async Task A_file_with_errors_is_reported_by_row_and_column_and_nothing_is_written(string provider)
    {
        await using var installation = await MembersInstallationAsync(provider);
        var rows = Rows(3).ToList();
        rows[1] = rows[1].Replace("HN.BD.CB1", "HN.XX");
        rows[2] = rows[2].Replace(",Nam,", ",Không rõ,");
        var file = await WriteAsync(installation, "errors.csv", rows);

        var import = await installation.Cli.RunAsync("members", "import", file);

        import.ExitCode.Should().Be(1, import.Output);
        import.Stdout.Should().Contain("Dòng (row)").And.Contain("Cột (column)");
        import.Stdout.Split('\n').Should().Contain(l => l.Contains(" 3 ") && l.Contains("Mã chi bộ") && l.Contains("HN.XX"))
            .And.Contain(l => l.Contains(" 4 ") && l.Contains("Giới tính") && l.Contains("(Gender is Nam or Nữ.)"));
        import.Stderr.Should().Contain("Tệp có 2 lỗi; không có hồ sơ nào được nhập (the file has 2 errors; nothing was imported)");
        (await CountAsync(installation)).Should().Be(0);
    }

    [Theory, StorageProviders]
    public async Task A_killed_import_leaves_the_database_as_it_was(string provider)
    {
        await using var installation = await MembersInstallationAsync(provider);
        await StopWhileWritingAsync(installation, process => process.Kill(entireProcessTree: true));
    }

    [Fact]
    public async Task An_import_interrupted_with_ctrl_c_leaves_the_database_as_it_was()
    {
        await using var installation = await MembersInstallationAsync("sqlite");
        await StopWhileWritingAsync(installation, process => Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit());
    }

    [Fact]
    public async Task On_a_terminal_each_stage_is_one_line_redrawn_in_place()
    {
        await using var installation = await MembersInstallationAsync("sqlite");
        var file = await WriteAsync(installation, "members.csv", Rows(2000));

        // script(1) gives the program a pseudo-terminal, as an administrator's shell would.
        using var process = Process.Start(new ProcessStartInfo("script", ["-qec", $"dotnet {DangVuCommand.DangVuDll} --home {installation.Home} members import {file}", "/dev/null"])
        {
            RedirectStandardOutput = true,
            StandardOutputEncoding = Encoding.UTF8,
            Environment = { ["DANGVU_HOME"] = null },
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, output);
        output.Should().Contain("\rĐang ghi (writing): [").And.Contain("100% 2000/2000").And.Contain("Đã nhập 2000 đảng viên");
        output.Split('\n').Where(l => l.Contains("Đang ghi (writing)")).Should().ContainSingle(output);
    }

    [Fact]
    public async Task Bad_paths_are_refused_with_a_clear_message_and_a_non_zero_exit_code()
    {
        await using var installation = new TestInstallation();
        (await installation.Cli.RunAsync("members", "import", "x.csv")).Should().Match<CommandResult>(r =>
            r.ExitCode == 1 && r.Stderr.Contains("Không có lệnh hay mô-đun 'members'"));

        await installation.InstallModuleAsync("Members");
        await ImportTreeAsync(installation);
        var good = await WriteAsync(installation, "good.csv", Rows(1));
        var text = Path.Combine(installation.Home, "members.txt");
        File.Copy(good, text);
        var headers = await WriteAsync(installation, "headers.csv", [], header: "Tên,CCCD");

        var help = await installation.Cli.RunAsync("members", "--help");
        help.ExitCode.Should().Be(0);
        help.Stdout.Should().Contain("import <file>").And.Contain("export");
        (await installation.Cli.RunAsync("members", "export", "--help")).Stdout.Should().Contain("--format <csv|xlsx>").And.Contain("-o, --output");
        await Refused(installation, "Không tìm thấy tệp", "members", "import", Path.Combine(installation.Home, "missing.csv"));
        await Refused(installation, "Không rõ định dạng của \"members.txt\"", "members", "import", text);
        await Refused(installation, "Thiếu cột \"Họ và tên\"", "members", "import", headers);
        await Refused(installation, "Không tìm thấy tổ chức mã \"HN.NONE\"", "members", "export", "--org", "HN.NONE", "-o", "out.csv");
        await Refused(installation, "Không rõ định dạng của \"out.pdf\"", "members", "export", "--org", "HN", "-o", "out.pdf");
        await Refused(installation, "Argument 'pdf' not recognized", "members", "export", "--format", "pdf", "-o", "out.csv");
        await Refused(installation, "'--output' is required", "members", "export");
        File.Exists(Path.Combine(installation.Home, "out.csv")).Should().BeFalse();

        (await installation.Cli.RunAsync("modules", "disable", "members")).ExitCode.Should().Be(0);
        await Refused(installation, "Mô-đun 'members' đang tắt", "members", "import", good);
        (await CountAsync(installation)).Should().Be(0);
    }

    /// <summary>Imports two members, then stops an import of many more once it is writing; the two stay, alone.</summary>
    private static async Task StopWhileWritingAsync(TestInstallation installation, Action<Process> stop)
    {
        (await installation.Cli.RunAsync("members", "import", await WriteAsync(installation, "first.csv", Rows(2)))).ExitCode.Should().Be(0);
        var large = await WriteAsync(installation, "large.csv", Rows(60_000, first: 100));

        using var process = installation.Cli.Start("members", "import", large);
        var seen = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.StartsWith("Đang ghi (writing)", StringComparison.Ordinal) && !line.Contains("100%"))
            {
                stop(process);
                break;
            }
        }

        seen.Append(await process.StandardOutput.ReadToEndAsync(timeout.Token));
        await process.WaitForExitAsync(timeout.Token);
        seen.ToString().Should().Contain("Đang ghi (writing)", "the import is stopped while writing:\n{0}{1}", seen, await stderr);
        process.ExitCode.Should().NotBe(0);
        seen.ToString().Should().NotContain("Đã nhập");
        (await CountAsync(installation)).Should().Be(2);
        (await installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM dv_change_feed WHERE \"RecordType\" = 'members.member'"))
            .Should().Be(2, "the change feed holds the two imported first and nothing of the stopped import");
        (await installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM members WHERE \"ImportedBy\" IS NOT NULL")).Should().Be(2);
    }

    private static async Task Refused(TestInstallation installation, string message, params string[] args)
    {
        var result = await installation.Cli.RunAsync(args);
        result.ExitCode.Should().NotBe(0, result.Output);
        result.Output.Should().Contain(message);
    }

    private static async Task<TestInstallation> MembersInstallationAsync(string provider)
    {
        var installation = new TestInstallation(provider);
        await installation.InstallModuleAsync("Members");
        await ImportTreeAsync(installation);
        return installation;
    }

    private static async Task ImportTreeAsync(TestInstallation installation)
    {
        var tree = await WriteAsync(installation, "org.csv", [], header: Committee.Csv);
        (await installation.Cli.RunAsync("org", "import", tree)).ExitCode.Should().Be(0);
    }

    private static Task<long> CountAsync(TestInstallation installation) => installation.QueryAsync<long>("members", "SELECT COUNT(*) FROM members");

    /// <summary>Valid rows: men born 1980 in Hà Nội (CCCD 001 0 80 + a serial), official members of HN.BD.CB1.</summary>
    private static IEnumerable<string> Rows(int count, int first = 1) =>
        Enumerable.Range(first, count).Select(i =>
            $"Nguyễn Văn An {i},Nam,01/01/1980,001080{i:D6},HN.BD.CB1,Chính thức,19/05/2005,{i}-QĐ/ĐUP,25/05/2005,01/06/2006,{i}-QĐ/ĐUP");

    private static async Task<string> WriteAsync(TestInstallation installation, string name, IEnumerable<string> rows, string header = Header)
    {
        var path = Path.Combine(installation.Home, name);
        await File.WriteAllLinesAsync(path, rows.Prepend(header), new UTF8Encoding(false));
        return path;
    }
}
